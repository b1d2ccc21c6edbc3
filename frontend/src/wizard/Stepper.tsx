import { NavLink } from 'react-router-dom';
import { stepPath, WIZARD_STEPS, type WizardStep } from './steps';

/** Where the user is in the wizard; every step stays reachable. */
export function Stepper({ projectId, current }: { projectId: string; current: WizardStep }) {
  const at = WIZARD_STEPS.findIndex((s) => s.path === current);
  return (
    <nav className="stepper" aria-label="Movie steps">
      <ol>
        {WIZARD_STEPS.map((step, i) => (
          <li key={step.path} className={i < at ? 'done' : i === at ? 'current' : undefined}>
            <NavLink to={stepPath(projectId, step.path)} aria-current={i === at ? 'step' : undefined}>
              <span className="stepper-dot" aria-hidden="true">
                {i < at ? '✓' : i + 1}
              </span>
              <span className="stepper-label">{step.label}</span>
            </NavLink>
          </li>
        ))}
      </ol>
    </nav>
  );
}
