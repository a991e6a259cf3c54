import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { applyTheme, effectiveTheme, storedTheme, type ThemeChoice } from '../theme';

interface ThemeState {
  choice: ThemeChoice;
  theme: 'light' | 'dark';
  setChoice: (c: ThemeChoice) => void;
}

const ThemeContext = createContext<ThemeState>({ choice: 'system', theme: 'light', setChoice: () => {} });

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const [theme, setTheme] = useState<'light' | 'dark'>(() => effectiveTheme(storedTheme()));
  useEffect(() => {
    applyTheme(choice);
    setTheme(effectiveTheme(choice));
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!media || choice !== 'system') return;
    const follow = () => setTheme(effectiveTheme('system'));
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);
  return <ThemeContext.Provider value={{ choice, theme, setChoice }}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles system → light → dark. */
export function ThemeToggle() {
  const { choice, setChoice } = useTheme();
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => setChoice(NEXT[choice])}
      aria-label={`${LABEL[choice]}. Switch to ${NEXT[choice]}.`}
      title={`${LABEL[choice]} (click for ${NEXT[choice]})`}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
      <span className="theme-label">{choice}</span>
    </button>
  );
}
