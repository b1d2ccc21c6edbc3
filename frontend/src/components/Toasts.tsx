import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { humanMessage } from '../api/apiError';

type Tone = 'info' | 'success' | 'error';
interface Toast {
  id: number;
  tone: Tone;
  message: string;
}

interface Toaster {
  show(message: string, tone?: Tone): void;
  /** A failed call, in words a person understands. */
  error(err: unknown): void;
}

const ToastContext = createContext<Toaster | null>(null);
const SHOWN_MS = 6000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, tone: Tone = 'info') => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), tone === 'error' ? SHOWN_MS * 2 : SHOWN_MS);
    },
    [dismiss],
  );
  const toaster = useMemo<Toaster>(() => ({ show, error: (err) => show(humanMessage(err), 'error') }), [show]);
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <section className="toasts" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
            <span>{t.message}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast outside ToastProvider');
  return toaster;
}
