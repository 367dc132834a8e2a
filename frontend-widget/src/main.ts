// Entry of loket-widget.js:
//   <script src="https://loket.example/widget/loket-widget.js" data-loket-url="https://loket.example" data-lang="nl" defer></script>
// data-loket-url defaults to where the script came from; data-lang to the page's language.

import { pickLang } from './strings';
import { Widget } from './widget';

const script = (document.currentScript ?? document.querySelector('script[src*="loket-widget"]')) as HTMLScriptElement | null;

function mount(): void {
  const w = window as unknown as { __loketWidget?: Widget };
  if (w.__loketWidget) return; // the tag was included twice
  const src = script?.src ? new URL(script.src, document.baseURI) : new URL(document.baseURI);
  const baseUrl = (script?.dataset.loketUrl || src.origin).replace(/\/+$/, '');
  const lang = pickLang(script?.dataset.lang || document.documentElement.lang);
  const host = document.createElement('div');
  host.id = 'loket-widget';
  document.body.appendChild(host);
  w.__loketWidget = new Widget({ baseUrl, lang }, host);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
