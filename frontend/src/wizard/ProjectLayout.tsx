import { Outlet, useLocation, useParams } from 'react-router-dom';
import { humanMessage } from '../api/apiError';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Skeleton } from '../components/Skeleton';
import { ProjectProvider, useProject } from './ProjectContext';
import { Stepper } from './Stepper';
import { WIZARD_STEPS, type WizardStep } from './steps';

function ProjectPage({ projectId }: { projectId: string }) {
  const { project, loading, error } = useProject();
  const { pathname } = useLocation();
  const step = (WIZARD_STEPS.find((s) => pathname.endsWith(`/${s.path}`))?.path ?? 'story') as WizardStep;
  useDocumentTitle(WIZARD_STEPS.find((s) => s.path === step)?.label, project?.title);
  return (
    <div className="wizard">
      <Stepper projectId={projectId} current={step} />
      {loading && !project ? (
        <div className="panel" role="status" aria-label="Loading your movie">
          <Skeleton lines={6} />
        </div>
      ) : project ? (
        <Outlet />
      ) : (
        <div className="panel empty" role="alert">
          <h1>We couldn't open this movie</h1>
          <p>{humanMessage(error)}</p>
        </div>
      )}
    </div>
  );
}

export function ProjectLayout() {
  const { projectId = '' } = useParams();
  return (
    <ProjectProvider projectId={projectId}>
      <ProjectPage projectId={projectId} />
    </ProjectProvider>
  );
}
