// One State, changed only through reduce(); subscribers (the UI) hear of every change. Kept
// outside the component tree so socket handlers always see the latest state synchronously.

import { type Action, type State, initialState, reduce } from './state';

export class Store {
  private listeners = new Set<() => void>();
  state: State;

  constructor(state: State = initialState) {
    this.state = state;
  }

  dispatch(action: Action): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
