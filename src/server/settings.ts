import type { PolicyValue } from '../catalog/protocol';

/** Reporting policy value of DPE_*_Policy_Set (binding), as the catalog types it. */
export type Policy = PolicyValue;
