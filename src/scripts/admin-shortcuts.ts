/**
 * Optional keyboard shortcuts for the moderation queue: j/k move between rows, a/s/t
 * approve, spam or trash the current row by pressing its button. Everything works without
 * this script; it only presses buttons that are already there.
 */
const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('table.queue tbody tr[data-id]'));
let current = -1;

function focusRow(index: number) {
  if (!rows.length) return;
  rows[current]?.classList.remove('is-current');
  current = Math.max(0, Math.min(rows.length - 1, index));
  rows[current].classList.add('is-current');
  rows[current].scrollIntoView({ block: 'nearest' });
}

const buttonFor: Record<string, string> = { a: 'approve', s: 'spam', t: 'trash' };

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  // Letters typed into a field are text, not commands (checkboxes and buttons are fine).
  const typing = target.closest('input:not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable]');
  if (event.ctrlKey || event.metaKey || event.altKey || typing) return;
  if (event.key === 'j') focusRow(current + 1);
  else if (event.key === 'k') focusRow(current - 1);
  else if (buttonFor[event.key] && rows[current]) {
    rows[current].querySelector<HTMLButtonElement>(`button[value^="${buttonFor[event.key]}:"]`)?.click();
  } else return;
  event.preventDefault();
});

// "Select all" checkbox in the table header.
const selectAll = document.querySelector<HTMLInputElement>('#select-all');
if (selectAll) selectAll.hidden = false; // shown only when this script can make it work
selectAll?.addEventListener('change', (event) => {
  const checked = (event.target as HTMLInputElement).checked;
  for (const box of document.querySelectorAll<HTMLInputElement>('table.queue input[name="ids"]')) box.checked = checked;
});
