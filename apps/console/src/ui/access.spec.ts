import { mayUse, PAGE_ROLES } from './access';

describe('mayUse', () => {
  it('admits a role the page names, and admin everywhere, as the services do', () => {
    expect(mayUse(['partner'], PAGE_ROLES.subscriptions)).toBe(true);
    expect(mayUse(['partner'], PAGE_ROLES.audit)).toBe(false);
    expect(mayUse(['official'], PAGE_ROLES.subscriptions)).toBe(false);
    expect(mayUse(['triage'], PAGE_ROLES.auditTimeline)).toBe(true);
    expect(mayUse(['admin'], PAGE_ROLES.audit)).toBe(true);
    expect(mayUse(['admin'], PAGE_ROLES.admin)).toBe(true);
    expect(mayUse(['triage'], PAGE_ROLES.admin)).toBe(false);
  });
});
