import { useEffect, useState, type ReactNode } from 'react';

/** Screens this narrow are phones: the steps come first, the tree on request. */
const PHONE = '(max-width: 640px)';

function usePhone(): boolean {
  const query = () => window.matchMedia?.(PHONE).matches ?? false;
  const [phone, setPhone] = useState(query);
  useEffect(() => {
    const media = window.matchMedia?.(PHONE);
    if (!media) return;
    const changed = () => setPhone(media.matches);
    media.addEventListener('change', changed);
    return () => media.removeEventListener('change', changed);
  }, []);
  return phone;
}

/**
 * The decision tree, drawn at once where there is room; on a phone it is one
 * tap away, so that the steps are what the page opens on.
 */
export function TreeToggle({ children }: { children: ReactNode }) {
  const phone = usePhone();
  const [open, setOpen] = useState(false);
  if (!phone) return <>{children}</>;
  return (
    <div className="tree-toggle">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide the decision tree' : 'Show the decision tree'}
      </button>
      {open ? children : null}
    </div>
  );
}
