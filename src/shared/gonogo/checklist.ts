// Go/no-go checklists: groups, criteria, the roles that sign, and the default template shipped
// with the app. A release carries a copy of a template version, so later edits to the template
// never change what a past go/no-go was held against.
import { z } from 'zod';
import { autoRuleSchema } from './rules.ts';

export const CRITERION_GROUPS = ['readiness', 'testing', 'operations', 'business', 'security'] as const;
export type CriterionGroup = (typeof CRITERION_GROUPS)[number];
export const GROUP_LABELS: Record<CriterionGroup, string> = {
  readiness: 'Readiness',
  testing: 'Testing & quality gates',
  operations: 'Operations',
  business: 'Business',
  security: 'Security & compliance',
};

/** The capacities a person signs a go/no-go in (not their profile role). */
export const SIGNOFF_ROLES = ['technical_lead', 'operations', 'business_owner', 'change_manager', 'security', 'quality'] as const;
export type SignoffRole = (typeof SIGNOFF_ROLES)[number];
export const SIGNOFF_ROLE_LABELS: Record<SignoffRole, string> = {
  technical_lead: 'Technical lead',
  operations: 'Operations',
  business_owner: 'Business owner',
  change_manager: 'Change manager',
  security: 'Security',
  quality: 'Quality',
};

export const ANSWERS = ['met', 'not_met', 'waived'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_LABELS: Record<Answer, string> = { met: 'met', not_met: 'not met', waived: 'waived' };

export const criterionId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'A criterion id is lower-case letters, digits and dashes (e.g. rollback-tested).');

export const criterionSchema = z.strictObject({
  id: criterionId,
  group: z.enum(CRITERION_GROUPS, { error: `Choose a group: ${CRITERION_GROUPS.join(', ')}.` }),
  statement: z.string().trim().min(1, 'Write the statement.').max(300),
  /** Who answers it. */
  role: z.enum(SIGNOFF_ROLES, { error: `Choose a role: ${SIGNOFF_ROLES.join(', ')}.` }),
  mandatory: z.boolean(),
  auto: autoRuleSchema.optional(),
});

export const checklistDocSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Name the checklist.').max(200),
    criteria: z.array(criterionSchema).min(1, 'A checklist has at least one criterion.').max(200),
    /** Roles whose sign-off a release needs by default (a release may change them). */
    signoffRoles: z.array(z.enum(SIGNOFF_ROLES)).max(SIGNOFF_ROLES.length),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.criteria.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `Criterion id "${c.id}" is used twice.` });
      seen.add(c.id);
    });
  });

export type Criterion = z.output<typeof criterionSchema>;
export type ChecklistDoc = z.output<typeof checklistDocSchema>;

export const DEFAULT_TEMPLATE_ID = 'default';

const c = (id: string, group: CriterionGroup, role: SignoffRole, statement: string, mandatory = true, auto?: Criterion['auto']): Criterion => ({
  id,
  group,
  role,
  statement,
  mandatory,
  ...(auto ? { auto } : {}),
});

/** The usual release-readiness questions; teams copy and adapt it. */
export const DEFAULT_CHECKLIST: ChecklistDoc = {
  title: 'Release readiness (default)',
  signoffRoles: ['technical_lead', 'operations', 'business_owner', 'change_manager'],
  criteria: [
    c('scope-frozen', 'readiness', 'technical_lead', 'Scope is frozen and every change in it is merged and reviewed'),
    c('change-approved', 'readiness', 'change_manager', 'The change request is approved (CAB or standard change)'),
    c('release-notes', 'readiness', 'business_owner', 'Release notes and customer communication are ready', false),
    c('regression-passed', 'testing', 'quality', '100% of regression tests passed', true, { kind: 'junit_pass_rate', minPercent: 100 }),
    c('staging-verified', 'testing', 'quality', 'The release was verified in staging with production-like data'),
    c('performance-ok', 'testing', 'quality', 'Performance tests show no regression against the baseline', false),
    c('rollback-tested', 'operations', 'operations', 'Rollback was tested in staging and its time to restore is known'),
    c('monitoring-ready', 'operations', 'operations', 'Monitoring and alerts cover the changed services (e.g. checkout and payment)'),
    c('on-call-staffed', 'operations', 'operations', 'On-call engineers are named and available for the window'),
    c('preflight-done', 'operations', 'operations', 'Pre-flight checks of the runbook are done', false, { kind: 'runbook_section', section: 'Pre-flight' }),
    c('stakeholders-informed', 'business', 'business_owner', 'Stakeholders and support know the window and the expected impact'),
    c('no-blackout', 'business', 'change_manager', 'The window is outside blackout periods and conflicts with no other release'),
    c('security-review', 'security', 'security', 'Security review is done; no open critical or high findings'),
    c('audit-evidence', 'security', 'change_manager', 'Approvals and test evidence are recorded for the audit trail'),
  ],
};
