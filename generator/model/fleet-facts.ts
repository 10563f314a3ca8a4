// What the rules across environments (env/cross-environment.ts) and the fleet bundle (resources/fleet.ts) read of an
// environment's topology. A fleet's workers send only this back (fleet-protocol.ts): the whole topology was ~11 kB
// of JSON per environment to write in the worker and read in the main thread. The fleet bundle needs one whole
// topology per ApplicationSet, which the main thread derives again from the environment's files.
import type { Topology } from './topology.ts';

export interface FleetFacts {
  name: Topology['name'];
  gitops: Topology['gitops'];
  argocd: Topology['argocd'];
  flex: Pick<Topology['flex'], 'release' | 'namespace'>;
  applications: Pick<Topology['applications'], 'root'>;
  apiManager?: { ownership: Pick<NonNullable<Topology['apiManager']>['ownership'], 'instanceLabelPrefix'> } | undefined;
  env: Pick<Topology['env'], 'anypoint'>;
}

/** The facts of `topology`, sharing its objects (a topology is never changed once resolved). */
export function fleetFacts(topology: Topology): FleetFacts {
  const { name, gitops, argocd, flex, applications, apiManager, env } = topology;
  return {
    name,
    gitops,
    argocd,
    flex: { release: flex.release, namespace: flex.namespace },
    applications: { root: applications.root },
    apiManager: apiManager && { ownership: { instanceLabelPrefix: apiManager.ownership.instanceLabelPrefix } },
    env: { anypoint: env.anypoint },
  };
}
