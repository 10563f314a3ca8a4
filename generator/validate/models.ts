// First validation layer: the @kubernetes-models validators. They come from newer upstream versions and accept
// unknown fields, so they catch wrong types and missing required fields only; the pinned, strict layer is separate.
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { Manifest } from '../resources/types.ts';

interface Validatable { validate(): void }
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'argoproj.io/v1alpha1/Application': Application as unknown as ModelClass,
  'argoproj.io/v1alpha1/AppProject': AppProject as unknown as ModelClass,
  'argoproj.io/v1alpha1/WorkflowTemplate': WorkflowTemplate as unknown as ModelClass,
  'networking.istio.io/v1beta1/Gateway': Gateway as unknown as ModelClass,
  'networking.istio.io/v1beta1/VirtualService': VirtualService as unknown as ModelClass,
  'security.istio.io/v1/AuthorizationPolicy': AuthorizationPolicy as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Namespace': Namespace as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'rbac.authorization.k8s.io/v1/Role': Role as unknown as ModelClass,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding as unknown as ModelClass,
};

export function hasModel(doc: Manifest): boolean {
  return `${doc.apiVersion}/${doc.kind}` in MODELS;
}

/** Problems the upstream model finds, as messages; empty when valid or when no model exists for the kind. */
export function modelProblems(doc: Manifest): string[] {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return [];
  try {
    new Model(structuredClone(doc) as never).validate();
    return [];
  } catch (error) {
    return String((error as Error).message)
      .split(', ')
      .map((message) => message.replace(/^data/, '').trim());
  }
}
