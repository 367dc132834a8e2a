import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import type { FieldError } from '../src/protocol';
import type { Failure } from '../src/ui/fields';
import { type FormSink, submitForm } from '../src/ui/dialogForm';

/** A sink that keeps the dialog's last state, and every call in order. */
function recorder() {
  const calls: string[] = [];
  const state = { errors: [] as FieldError[], failure: null as Failure | null, busy: false, focused: 0 };
  const sink: FormSink = {
    setErrors: (e) => {
      calls.push('errors');
      state.errors = e;
    },
    setFailure: (f) => {
      calls.push('failure');
      state.failure = f;
    },
    setBusy: (b) => {
      calls.push('busy:' + b);
      state.busy = b;
    },
    focusFirstInvalid: () => {
      calls.push('focus');
      state.focused++;
    },
  };
  return { sink, state, calls };
}

describe('a dialog form on submit', () => {
  it('sends nothing while its own checks fail, and puts the focus on the first invalid field', async () => {
    const { sink, state } = recorder();
    const send = vi.fn();
    await submitForm({ check: () => [{ field: 'title', message: 'Verplicht' }], send }, ['title'], 'nl', sink);
    expect(send).not.toHaveBeenCalled();
    expect(state.errors).toEqual([{ field: 'title', message: 'Verplicht' }]);
    expect(state.failure).toBeNull();
    expect(state.busy).toBe(false);
    expect(state.focused).toBe(1);
  });

  it('says the summary it was given when its checks fail', async () => {
    const { sink, state } = recorder();
    await submitForm({ check: () => [{ field: 'roles', message: 'Kies een rol' }], send: vi.fn(), checkSummary: 'Controleer de gemarkeerde velden.' }, ['roles'], 'nl', sink);
    expect(state.failure).toEqual({ message: 'Controleer de gemarkeerde velden.' });
  });

  it('clears an earlier refusal, and stays busy after a save: the owner closes the dialog', async () => {
    const { sink, state, calls } = recorder();
    state.failure = { message: 'eerder' };
    const send = vi.fn(async () => undefined);
    await submitForm({ check: () => [], send }, [], 'nl', sink);
    expect(send).toHaveBeenCalledOnce();
    expect(state.failure).toBeNull();
    expect(state.errors).toEqual([]);
    expect(calls).toEqual(['failure', 'errors', 'busy:true']);
  });

  it('puts a refusal back on the form in the page language: shown fields by their field, the rest in the summary', async () => {
    const { sink, state } = recorder();
    const refusal = new ApiError(400, 'Ongeldige invoer', undefined, [
      { field: 'name', message: 'Te lang / Too long' },
      { field: 'other', message: 'Onbekend / Unknown' },
    ]);
    await submitForm({ check: () => [], send: () => Promise.reject(refusal) }, ['name'], 'en', sink);
    expect(state.errors).toEqual([
      { field: 'name', message: 'Too long' },
      { field: 'other', message: 'Unknown' },
    ]);
    expect(state.failure).toEqual({ message: 'Ongeldige invoer', errors: [{ field: 'other', message: 'Unknown' }] });
    expect(state.busy).toBe(false);
    expect(state.focused).toBe(1);
  });

  it('shows a failure without field errors (the network, a 500) as its message alone', async () => {
    const { sink, state } = recorder();
    await submitForm({ check: () => [], send: () => Promise.reject(new Error('Failed to fetch')) }, ['name'], 'nl', sink);
    expect(state.errors).toEqual([]);
    expect(state.failure).toEqual({ message: 'Failed to fetch', errors: [] });
    expect(state.busy).toBe(false);
  });
});
