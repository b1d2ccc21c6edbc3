import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { devAuth } from '../auth/devAuth';
import { renderScreen } from '../test/renderScreen';
import { SignInScreen } from './SignInScreen';

describe('Sign in (local dev auth)', () => {
  it('signs in under a name, as the services expect (dev:<uid>), and goes on to a new movie', async () => {
    const auth = devAuth('debug');
    const { router } = renderScreen(<SignInScreen />, { path: '/signin', auth, extraRoutes: ['/new'] });
    await userEvent.type(screen.getByLabelText('Your name'), 'Ada Lovelace');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/new'));
    expect(await auth.idToken()).toBe('dev:ada-lovelace');
    expect(await auth.appCheckToken()).toBe('debug');
  });

  it('offers a guest trial on the free plan', async () => {
    const auth = devAuth('');
    localStorage.setItem('storyreel.appCheckDebugToken', 'set-by-hand');
    renderScreen(<SignInScreen />, { path: '/signin', auth, extraRoutes: ['/new'] });
    expect(screen.getByText('Guests get the free plan: 10 movies a day.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try it as a guest' }));
    await waitFor(async () => expect(await auth.idToken()).toMatch(/^dev:guest-\d+$/));
    // A build without a baked-in debug token uses the one set by hand.
    expect(await auth.appCheckToken()).toBe('set-by-hand');
  });
});

describe('a local build without an App Check debug token', () => {
  it('says how to open the wizard so the local services accept it', () => {
    renderScreen(<SignInScreen />, { path: '/signin', auth: devAuth('') });
    expect(screen.getByRole('status')).toHaveTextContent('npm start');
  });
});
