// The duress freeze: a person forced to cancel their alert enters the duress PIN. Their phone must
// then look exactly as after a real cancel — closed, frozen at that moment — while staff see the
// alert continue (marked duress). The lifecycle table judges the owner's moves by the status seen
// here, and every answer to the phone (views, lists, the live feed) asks the same rule.
import { isOpen, type AlertStatus } from './alert-status.js';

/** Who looks: the alert's owner (a citizen's phone) sees a duress-cancelled alert as cancelled. */
const isOwner = (viewer: string): boolean => viewer === 'owner' || viewer === 'citizen';

/** The status as this viewer sees it: after a duress cancel the owner sees a cancelled alert. */
export const statusSeenBy = (viewer: string, status: AlertStatus, duress: boolean): AlertStatus =>
  (isOwner(viewer) && duress ? 'cancelled' : status);

/** Open as the owner's phone sees it: a duress-cancelled alert never reaches the phone as live. */
export const isOpenForOwner = (a: { status: AlertStatus; duress: boolean }): boolean => isOpen(statusSeenBy('owner', a.status, a.duress));

/** The owner is served the view frozen at the duress cancel (byte for byte), staff the live one. */
export const servesFrozenView = (viewer: string, a: { duress: boolean }): boolean => isOwner(viewer) && a.duress;
