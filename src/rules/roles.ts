// Who may do what, as data. Server routes name the permission they need; the staff pages ask the
// same table whether a signed-in account belongs on them, so a grant changed here changes both.
// gateway: a fleet gateway (a machine, not a person) that only posts batches of positions — so it
// never needs an admin's token.
export const ROLES = ['citizen', 'unit', 'dispatcher', 'analyst', 'admin', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'quadrants:manage', // import and activate quadrant sets
  'contacts:manage', // edit the phones of each quadrant's unit(s)
  'crimes:import', // load crime statistics and recompute threat levels
  'users:manage', // create staff accounts and change roles
  'audit:read', // read the audit log
  'alerts:raise', // raise a panic alert (citizens; staff on someone's behalf)
  'alerts:respond', // a patrol unit acknowledging and working its alerts
  'alerts:dispatch', // the console: see every alert, assign, take over, create from a phone call
  'units:manage', // create units and change their quadrants
  'units:shift', // go on/off duty
  'units:read', // the list of units (callsigns, phones, shift states): staff only
  'stats:read', // response-time KPIs
  'positions:ingest', // fleet gateways posting batches of positions
  'extortion:review', // the analysts' console: reports with reporters, decisions, disputes, exports
  'extortion:protect', // the list of protected numbers (emergency, government, banks, businesses)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const grants: Record<Role, readonly Permission[]> = {
  citizen: ['alerts:raise'],
  unit: ['alerts:raise', 'alerts:respond', 'units:shift', 'units:read'],
  dispatcher: ['alerts:raise', 'alerts:dispatch', 'units:shift', 'units:read', 'stats:read'],
  analyst: ['crimes:import', 'stats:read', 'extortion:review', 'units:read'],
  admin: PERMISSIONS,
  gateway: ['positions:ingest'],
};

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
export const can = (role: Role, permission: Permission): boolean => grants[role].includes(permission);

/** Roles that work the operations console: they see every open alert, live. */
export type DispatchRole = 'dispatcher' | 'admin';
/** Roles that work the analysts' console. */
export type AnalystRole = 'analyst' | 'admin';

/** Staff at the operations console (`alerts:dispatch`); takes any string, as a stored session holds. */
export const isDispatchStaff = (role: string | null | undefined): role is DispatchRole =>
  typeof role === 'string' && isRole(role) && can(role, 'alerts:dispatch');

/** Staff at the analysts' console (`extortion:review`). */
export const isAnalyst = (role: string | null | undefined): role is AnalystRole =>
  typeof role === 'string' && isRole(role) && can(role, 'extortion:review');
