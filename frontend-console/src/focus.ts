// Where the keyboard focus goes when what had it leaves the page. Pure: the console looks the
// element ids up and focuses the first one there that takes focus.

import type { View } from './roles';
import type { State } from './state';

/** The id of the "Volgende gesprek" (claim next) button. */
export const CLAIM_NEXT_ID = 'claim-next';
/** The id of the main region (focusable: tabindex -1). */
export const MAIN_ID = 'main';

/**
 * Where the focus goes after the agent closed, transferred or turned into a callback request the
 * conversation `left`: its panel, with the control that opened the dialog (the "Sluiten" button,
 * the message box), is gone, and the dialog cannot give the focus back; left alone it lands on
 * <body>. The answer is element ids, best first:
 * - the conversation that comes into view: its message box, or when it has ended its tab (or
 *   transcript, side by side);
 * - when none is left (or those cannot take focus): "Volgende gesprek", then the main region.
 * Null while `left` is still on screen (its `ended` has not come yet) and when the focus did not
 * get lost (the opener was elsewhere and has it back): then there is nothing to move.
 */
export function focusAfterLeaving(s: State, left: string, view: View, focusLost: boolean): string[] | null {
  if (s.conversations.some((c) => c.id === left)) return null;
  if (!focusLost) return null;
  if (view !== 'conversations') return [MAIN_ID];
  const fallback = [CLAIM_NEXT_ID, MAIN_ID];
  const shown = s.conversations.find((c) => c.id === s.selected) ?? s.conversations.find((c) => !c.ended);
  if (!shown) return fallback;
  const own = shown.ended ? ['tab-' + shown.id, 'log-' + shown.id] : ['reply-' + shown.id, 'tab-' + shown.id, 'log-' + shown.id];
  return [...own, ...fallback];
}

/** Where the focus was when a conversation the agent claimed themselves came. */
export type FocusAtClaim = 'lost' | 'waiting-list' | 'kept';

/**
 * Where the focus goes once a conversation the agent claimed themselves ("Volgende gesprek",
 * "Neem", "Kies") has come: its message box, when the control that had the focus cannot keep
 * it. That is when the focus fell to <body> (Chromium drops it from "Volgende gesprek" once the
 * last free slot is taken and the button is disabled) or was on the waiting list (the resident's
 * "Kies" leaves the list with them). Null otherwise: an agent on "Volgende gesprek" with slots
 * left, or typing elsewhere, keeps their place.
 */
export function focusAfterClaim(s: State, claimed: string, view: View, focus: FocusAtClaim): string[] | null {
  if (focus === 'kept' || view !== 'conversations') return null;
  const c = s.conversations.find((x) => x.id === claimed);
  if (!c || c.ended) return null;
  return ['reply-' + claimed, 'tab-' + claimed, 'log-' + claimed, CLAIM_NEXT_ID, MAIN_ID];
}
