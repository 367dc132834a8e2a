import { describe, expect, it } from 'vitest';
import { canUseConsole, initialView, mayWriteNotices, usesAgentSocket, viewsFor } from '../src/roles';

describe('role → main navigation', () => {
  it('gives each role its tabs, in the navigation order', () => {
    expect(viewsFor(['agent'])).toEqual(['conversations', 'callbacks']);
    // the built-in issuer gives a supervisor the agent group too
    expect(viewsFor(['agent', 'supervisor'])).toEqual(['conversations', 'callbacks', 'supervisor', 'departments']);
    expect(viewsFor(['admin'])).toEqual(['admin', 'departments']);
    expect(viewsFor(['department'])).toEqual(['departments']);
    expect(viewsFor(['admin', 'agent', 'supervisor'])).toEqual(['conversations', 'callbacks', 'supervisor', 'admin', 'departments']);
  });

  it('lets no one in without a console role, and opens the agent socket for agents only', () => {
    expect(canUseConsole(['integrator'])).toBe(false);
    expect(canUseConsole([])).toBe(false);
    expect(canUseConsole(['department'])).toBe(true);
    expect(usesAgentSocket(['admin', 'department'])).toBe(false);
    expect(usesAgentSocket(['agent', 'supervisor'])).toBe(true);
  });

  it('reopens the view from before a reload only while it is still allowed', () => {
    expect(initialView(['agent', 'supervisor'], 'supervisor')).toBe('supervisor');
    expect(initialView(['agent'], 'admin')).toBe('conversations');
    expect(initialView(['admin'], 'conversations')).toBe('admin');
    expect(initialView(['admin'], null)).toBe('admin');
    expect(initialView(['integrator'], 'admin')).toBeNull();
  });

  it('lets supervisors and admins write every department, a department user only their own', () => {
    expect(mayWriteNotices(['agent', 'supervisor'], null, 'burgerzaken')).toBe(true);
    expect(mayWriteNotices(['admin'], null, 'burgerzaken')).toBe(true);
    expect(mayWriteNotices(['department'], 'burgerzaken', 'burgerzaken')).toBe(true);
    expect(mayWriteNotices(['department'], 'burgerzaken', 'belastingen')).toBe(false);
    // no department claim in the token: the server decides (403 for a wrong one)
    expect(mayWriteNotices(['department'], undefined, 'belastingen')).toBe(true);
    expect(mayWriteNotices(['agent'], null, 'burgerzaken')).toBe(false);
  });
});
