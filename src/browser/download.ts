/** Saves bytes or text as a file through the browser's own download, with no server involved. */
export function downloadFile(contents: string | Uint8Array, fileName: string, type: string): void {
  // A copy, so the Blob owns plain ArrayBuffer-backed bytes whatever the source.
  const part = typeof contents === 'string' ? contents : new Uint8Array(contents);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start reading the URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
