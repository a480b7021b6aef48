/** Lets files be dropped onto `zone` as well as chosen: marks it while files hover and hands the dropped ones on. */
export function acceptDroppedFiles(zone: HTMLElement, hoverClass: string, onFiles: (files: File[]) => void): void {
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add(hoverClass);
  });
  zone.addEventListener('dragleave', () => zone.classList.remove(hoverClass));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove(hoverClass);
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
}
