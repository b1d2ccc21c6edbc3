import {
  createContext,
  type Dispatch,
  type ReactNode,
  type SetStateAction,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { ApiError } from '../api/apiError';
import type { Project } from '../api/types';
import { useApi } from '../app/session';
import { useToast } from '../components/Toasts';

interface ProjectState {
  project: Project | null;
  loading: boolean;
  error: unknown;
  reload(): Promise<void>;
  /** Shows a project the screen got back from the API. */
  replace: Dispatch<SetStateAction<Project | null>>;
  /**
   * Runs an edit on the latest version this page holds. Edits run one at a
   * time, each on what the one before left, so quick edits on this page never
   * undo each other. When someone else changed the project meanwhile (409),
   * the latest version is loaded and the user told, rather than their edit
   * silently overwriting the other one.
   */
  edit(change: (project: Project) => Promise<Project>): Promise<Project | null>;
  /** Resolves once the edits asked for so far are saved (or refused). */
  settled(): Promise<void>;
}

const ProjectContext = createContext<ProjectState | null>(null);

/** Answers can arrive out of order (a slow read after a fast write): an older version never replaces a newer one. */
const latest = (next: Project | null) => (current: Project | null) =>
  current && next && current.id === next.id && next.version < current.version ? current : next;

export function ProjectProvider({ projectId, children }: { projectId: string; children: ReactNode }) {
  const api = useApi();
  const toast = useToast();
  const [project, setProject] = useState<Project | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  // What the next edit starts from, ahead of React's render.
  const current = useRef<Project | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const replace = useCallback<ProjectState['replace']>((next) => {
    const value = latest(typeof next === 'function' ? next(current.current) : next)(current.current);
    current.current = value;
    setProject(value);
  }, []);

  const reload = useCallback(async () => {
    try {
      replace(await api.project(projectId));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [api, projectId, replace]);

  useEffect(() => {
    setLoading(true);
    void reload();
  }, [reload]);

  const edit = useCallback(
    (change: (p: Project) => Promise<Project>) => {
      const run = async () => {
        const base = current.current;
        if (!base) return null;
        try {
          const next = await change(base);
          replace(next);
          return next;
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) {
            toast.show('This movie was changed in another tab. We loaded the latest version; please redo your edit.');
            await reload();
          } else toast.error(err);
          return null;
        }
      };
      const result = queue.current.then(run, run);
      queue.current = result;
      return result;
    },
    [reload, replace, toast],
  );
  const settled = useCallback(() => queue.current.then(() => undefined), []);
  const state = useMemo(
    () => ({ project, loading, error, reload, replace, edit, settled }),
    [project, loading, error, reload, replace, edit, settled],
  );
  return <ProjectContext.Provider value={state}>{children}</ProjectContext.Provider>;
}

export function useProject(): ProjectState {
  const state = useContext(ProjectContext);
  if (!state) throw new Error('useProject outside ProjectProvider');
  return state;
}

/** For screens that only render once the project is loaded. */
export function useLoadedProject(): ProjectState & { project: Project } {
  const state = useProject();
  if (!state.project) throw new Error('project not loaded');
  return state as ProjectState & { project: Project };
}
