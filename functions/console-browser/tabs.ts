/**
 * An accessible tab list (WAI-ARIA tabs): the server renders `[role=tab]` buttons with aria-controls;
 * this selects one, shows its panel, and moves between tabs with the arrow keys.
 */
export function tabs(list: HTMLElement, onShow?: (id: string) => void): { show(id: string): void } {
  const all = (): HTMLButtonElement[] => [...list.querySelectorAll<HTMLButtonElement>('[role=tab]')];
  const show = (id: string) => {
    for (const tab of all()) {
      const selected = tab.dataset['tab'] === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    onShow?.(id);
  };
  list.addEventListener('click', (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLButtonElement>('[role=tab]');
    if (tab?.dataset['tab']) show(tab.dataset['tab']);
  });
  list.addEventListener('keydown', (event) => {
    const tabsNow = all();
    const at = tabsNow.findIndex((t) => t === document.activeElement);
    if (at < 0 || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? tabsNow.length - 1
          : (at + (event.key === 'ArrowRight' ? 1 : -1) + tabsNow.length) % tabsNow.length;
    const tab = tabsNow[next]!;
    show(tab.dataset['tab']!);
    tab.focus();
  });
  return { show };
}
