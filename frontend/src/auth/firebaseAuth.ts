import type { AuthBackend, SignedInUser } from './authBackend';

export interface FirebaseSettings {
  apiKey: string;
  authDomain: string;
  projectId: string;
  appId: string;
  /** reCAPTCHA Enterprise site key for App Check. */
  recaptchaSiteKey: string;
  /** `127.0.0.1:9099` to use the Auth emulator. */
  authEmulatorHost: string;
  /** Local only: sent as the App Check token, which the services accept in place of an attested one. */
  appCheckDebugToken: string;
}

const EMAIL_KEY = 'storyreel.emailForSignIn';

/** Firebase Auth (Google, email link, anonymous) and App Check, loaded only when configured. */
export async function firebaseAuth(settings: FirebaseSettings): Promise<AuthBackend> {
  const [{ initializeApp }, auth, appCheckSdk] = await Promise.all([
    import('firebase/app'),
    import('firebase/auth'),
    import('firebase/app-check'),
  ]);
  const app = initializeApp({
    apiKey: settings.apiKey,
    authDomain: settings.authDomain,
    projectId: settings.projectId,
    appId: settings.appId,
  });
  const firebase = auth.getAuth(app);
  if (settings.authEmulatorHost) {
    auth.connectAuthEmulator(firebase, `http://${settings.authEmulatorHost}`, { disableWarnings: true });
  }
  const appCheck =
    !settings.appCheckDebugToken && settings.recaptchaSiteKey
      ? appCheckSdk.initializeAppCheck(app, {
          provider: new appCheckSdk.ReCaptchaEnterpriseProvider(settings.recaptchaSiteKey),
          isTokenAutoRefreshEnabled: true,
        })
      : null;

  // Coming back from an email sign-in link.
  if (auth.isSignInWithEmailLink(firebase, window.location.href)) {
    const email = localStorage.getItem(EMAIL_KEY) ?? window.prompt('Confirm your email to finish signing in') ?? '';
    if (email) {
      await auth.signInWithEmailLink(firebase, email, window.location.href);
      localStorage.removeItem(EMAIL_KEY);
      window.history.replaceState(null, '', window.location.pathname);
    }
  }

  const toUser = (u: import('firebase/auth').User): SignedInUser => ({
    uid: u.uid,
    name: u.displayName ?? u.email ?? 'Guest',
    email: u.email,
    anonymous: u.isAnonymous,
  });

  return {
    kind: 'firebase',
    watch: (onUser) => auth.onIdTokenChanged(firebase, (u) => onUser(u ? toUser(u) : null)),
    idToken: async () => (firebase.currentUser ? firebase.currentUser.getIdToken() : null),
    appCheckToken: async () => {
      if (settings.appCheckDebugToken) return settings.appCheckDebugToken;
      return appCheck ? (await appCheckSdk.getToken(appCheck)).token : null;
    },
    async signInWithGoogle() {
      await auth.signInWithPopup(firebase, new auth.GoogleAuthProvider());
    },
    async sendEmailLink(email) {
      await auth.sendSignInLinkToEmail(firebase, email, { url: window.location.href, handleCodeInApp: true });
      localStorage.setItem(EMAIL_KEY, email);
    },
    async signInAsGuest() {
      await auth.signInAnonymously(firebase);
    },
    signOut: () => auth.signOut(firebase),
  };
}
