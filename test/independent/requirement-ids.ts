// The requirement ids of docs/requirements.md, as a type, so that a fault's `breaks` list
// cannot name an id that does not exist (copied by hand from the generated document).
export const REQUIREMENT_IDS = [
  'reg.client-driven', 'reg.server-driven', 'reg.client-id-unique',
  'policy.per-registration.new-id', 'policy.per-user-and-device.same-id',
  'policy.per-user-and-device.new-id-on-change', 'policy.per-device.keeps-id',
  'policy.per-device.previous-user-loses-id',
  'reg.client-registers-at-startup', 'reg.response-client-id', 'reg.retain-association',
  'reg.identity-from-request', 'reg.identity-from-network', 'reg.single-identity-accepted',
  'reg.ip-change-not-device-change', 'reg.shared-ip-distinct-devices',
  'dc.usecase.sim-move', 'dc.usecase.identity-change-same-device',
  'dc.usecase.multi-device-new-device', 'dc.usecase.new-user-new-device', 'dc.new-client-id',
  'dc.release-groups', 'dc.release-policies', 'dc.set-groups', 'dc.set-property-policies',
  'dc.set-group-policies', 'dc.sets-only-defined', 'dc.order-releases-first',
  'dc.order-group-before-policy', 'dc.unchanged-no-releases', 'dc.relevant-implementation-defined',
  'cid.report-on-change', 'cid.report-concerned-only', 'cid.report-first-association',
  'cid.report-matches-registration', 'cid.report-only-on-change',
  'msg.group-release.ies', 'msg.group-release.wildcard',
  'msg.policy-release.ies', 'msg.policy-release.wildcard',
  'query.answered', 'msg.client-id-response.ies', 'msg.client-id-response.echo-message-id',
  'msg.client-id-response.null-when-none', 'query.current-associations',
  'msg.client-id-report.ies', 'msg.client-id-report.ids-current',
  'msg.client-id-report.all-current-ids', 'msg.client-id-report.client-id-null',
  'msg.client-id-report.user-null', 'msg.client-id-report.replaces',
  'reg.response-echoes-message-id', 'reg.no-identity-rejected', 'reg.identity-ie-over-header',
  'dc.multi-device.keeps-earlier', 'dc.addressed-to-current-client', 'sp.set-relayed',
  'sp.unauthorized-rejected', 'cid.report-message-id-unique',
  'cid.report-retry-keeps-message-id', 'binding.error-object', 'binding.rejected-no-state-change',
  // Added with the second batch of variants (also in docs/requirements.md).
  'dc.release-one-message', 'dc.unchanged-keeps-settings', 'dc.previous-device-no-settings', 'sp.relay-current-only',
  'sp.isolation.conflict-rejected', 'sp.isolation.keeps-other-sps-settings', 'cid.report-survives-sp-outage',
  'binding.body-limit', 'binding.body-limit-413', 'binding.serves-after-rejection',
] as const;

export type RequirementId = (typeof REQUIREMENT_IDS)[number];
