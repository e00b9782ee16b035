export const isLatitude = (v: number): boolean => Number.isFinite(v) && v >= -90 && v <= 90;
export const isLongitude = (v: number): boolean => Number.isFinite(v) && v >= -180 && v <= 180;
