// The bundle's README: a handlebars template (templates/bundle-readme.md.hbs) fed with plain data.
import Handlebars from 'handlebars';
import type { Environment } from '../env/types.ts';
import { applicationName, childApps, type ChildApp } from '../resources/argocd.ts';
import { usedCredentials } from '../resources/flex.ts';
import { DIRS } from '../resources/layout.ts';

export interface ReadmeProbe { step: number; name: string; description: string }

export interface ReadmeData {
  env: Environment;
  rootApplication: string;
  waves: Array<{ wave: number; applications: Array<{ name: string; what: string }> }>;
  requiredSecrets: Array<{ name: string; namespace: string; keys: string; purpose: string; command: string }>;
  secretNamespaces: string[];
  localMode: boolean;
  demoSecrets: Array<{ name: string; namespace: string }>;
  dirs: typeof DIRS;
  verification: { enabled: boolean; workflowTemplate: string; namespace: string; probes: ReadmeProbe[] };
}

const WHAT: Record<string, string> = {
  prerequisites: 'namespaces with istio-injection=enabled',
  'istio-base': 'Istio CRDs and the default validating webhook',
  istiod: 'Istio control plane and sidecar injector',
  'istio-ingress': 'Istio ingress gateway',
  'flex-gateway': 'Flex Gateway',
  bookinfo: 'Bookinfo without the excluded reviews versions',
  sleep: 'sleep test client',
  'mesh-routing': 'Istio Gateway, VirtualServices through Flex, Bookinfo lockdown',
  'flex-apis': 'Flex ApiInstances with their policies',
  verification: 'verification WorkflowTemplate and its RBAC',
};

const NO_VERIFICATION: ReadmeData['verification'] = { enabled: false, workflowTemplate: '', namespace: '', probes: [] };

export function readmeData(env: Environment, extraApps: readonly ChildApp[] = [], verification = NO_VERIFICATION): ReadmeData {
  const apps = childApps(env, extraApps);
  const waves = [...new Set(apps.map((app) => app.wave))].map((wave) => ({
    wave,
    applications: apps.filter((app) => app.wave === wave).map((app) => ({ name: applicationName(env, app.key), what: WHAT[app.key] ?? app.key })),
  }));
  const registration = {
    name: env.flex.registrationSecret,
    namespace: env.flex.namespace,
    keys: 'registration.yaml',
    purpose: 'Flex Gateway registration (flexctl registration create)',
    command: `kubectl create secret generic ${env.flex.registrationSecret} -n ${env.flex.namespace} --from-file=registration.yaml`,
  };
  const credentials = usedCredentials(env).filter((credential) => !credential.insecureDemoUser).map((credential) => ({
    name: credential.secretName,
    namespace: env.flex.namespace,
    keys: `${credential.usernameKey}, ${credential.passwordKey}`,
    purpose: `basic-auth credentials "${credential.name}"`,
    command: `kubectl create secret generic ${credential.secretName} -n ${env.flex.namespace} --from-literal=${credential.usernameKey}=<user> --from-literal=${credential.passwordKey}=<password>`,
  }));
  const demoSecrets = usedCredentials(env).filter((credential) => credential.insecureDemoUser).map((credential) => ({ name: credential.secretName, namespace: env.flex.namespace }));
  // Probe pods run in the verification namespace and can only read Secrets there.
  const probeCredentials = env.verification.enabled
    ? usedCredentials(env).filter((credential) => !credential.insecureDemoUser || env.verification.credentialsSecret).map((credential) => {
        const name = env.verification.credentialsSecret ?? credential.secretName;
        return {
          name,
          namespace: env.verification.namespace,
          keys: `${credential.usernameKey}, ${credential.passwordKey}`,
          purpose: `the same credentials "${credential.name}", sent by the verification probes`,
          command: `kubectl create secret generic ${name} -n ${env.verification.namespace} --from-literal=${credential.usernameKey}=<user> --from-literal=${credential.passwordKey}=<password>`,
        };
      })
    : [];
  const requiredSecrets = [registration, ...credentials, ...probeCredentials];
  const secretNamespaces = [...new Set(requiredSecrets.map((secret) => secret.namespace))];
  return { env, rootApplication: applicationName(env, 'root'), waves, requiredSecrets, secretNamespaces, localMode: env.flex.mode === 'local', demoSecrets, dirs: DIRS, verification };
}

export function renderReadme(template: string, data: ReadmeData): string {
  // strict: a missing field is an error, not an empty string in the README.
  return Handlebars.compile(template, { strict: true, noEscape: true })(data);
}
