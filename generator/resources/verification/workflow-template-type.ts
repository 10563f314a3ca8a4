// The WorkflowTemplate shape the verification builder writes against. The one typed model package,
// @kubernetes-models/argo-workflows, exists only as 2.0.0: it describes Argo Workflows 4 and declares Node >= 22
// (an EBADENGINE warning on every install). The pinned Argo Workflows 3.6.19 schema checks every emitted document,
// so this type only keeps the builder's own outline straight: envelope, entrypoint, named templates.
import type { ObjectMeta } from '../types.ts';

export interface IWorkflowTemplate {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'WorkflowTemplate';
  metadata: ObjectMeta;
  spec: {
    entrypoint: string;
    templates: Array<{ name: string; [field: string]: unknown }>;
    [field: string]: unknown;
  };
}
