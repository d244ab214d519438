import { DYNAMIC_RESOURCE_TYPE, RELEASE_NAME_SUFFIX } from "../../lib/rollout-spec";

/**
 * True for a safe rollout's release step: the dynamic resource lib/ names
 * `<stack>-<region>-release` (lib/rollout-spec.ts releaseLogicalName). The
 * plan's release waves and the update plan's rules and hazards all ask this
 * one question, with lib's own type and suffix.
 */
export function isReleaseStep(resource: { readonly type: string; readonly name: string }): boolean {
  return resource.type === DYNAMIC_RESOURCE_TYPE && resource.name.endsWith(RELEASE_NAME_SUFFIX);
}
