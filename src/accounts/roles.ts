// Who may do what: the grant table is a rule the staff pages share (src/rules/roles.ts); accounts
// owns the roles, so it is their public face here.
export { ROLES, PERMISSIONS, isRole, can, isDispatchStaff, isAnalyst, type Role, type Permission, type DispatchRole, type AnalystRole } from '../rules/index.js';
