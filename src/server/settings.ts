/** Reporting policy value of DPE_*_Policy_Set (binding). */
export type Policy = { Trigger: 'on-change' } | { Trigger: 'periodic'; Period: number };
