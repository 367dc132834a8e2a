// Saving a response as a file: the name it gets, and the browser's download.

/** "loket-kcm-paspoort-id-2026-11-01-tm-2026-11-30.csv": what, which topic, which period. */
export function csvFileName(kind: string, from: string, to: string, topic?: string | null): string {
  const safe = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const parts = ['loket', safe(kind), topic ? safe(topic) : 'alle-onderwerpen', from === to ? from : `${from}-tm-${to}`];
  return parts.filter(Boolean).join('-') + '.csv';
}

/** The browser saves the blob under that name; the object URL is released afterwards. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
