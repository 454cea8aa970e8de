/**
 * The conditions a terminating namespace shows in `kubectl describe ns` (upstream
 * `deletion/status_condition_utils.go`): five condition types, each False with an "all fine"
 * reason, or True with what is stuck (resources remaining, finalizers remaining, delete failures).
 */

/** A NamespaceCondition as served. */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The condition types the namespace controller maintains, in upstream order. */
export const NAMESPACE_CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof NAMESPACE_CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: {
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
};

/** What is left after a deletion pass: instances per resource (`pods.` for the core group) and per finalizer. */
export interface RemainingContent {
  byResource: Map<string, number>;
  byFinalizer: Map<string, number>;
}

/**
 * The failing conditions for a pass. Worked example: two pods still terminating →
 * NamespaceContentRemaining True, "Some resources are remaining: pods. has 2 resource instances".
 */
export function contentConditions(
  remaining: RemainingContent,
  deleteErrors: readonly string[],
  now: string,
): NamespaceCondition[] {
  const conditions: NamespaceCondition[] = [];
  const resources = [...remaining.byResource]
    .filter(([, n]) => n > 0)
    .map(([resource, n]) => `${resource} has ${n} resource instances`);
  if (resources.length > 0) {
    conditions.push({
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: now,
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${resources.sort().join(', ')}`,
    });
  }
  const finalizers = [...remaining.byFinalizer]
    .filter(([, n]) => n > 0)
    .map(([finalizer, n]) => `${finalizer} in ${n} resource instances`);
  if (finalizers.length > 0) {
    conditions.push({
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      lastTransitionTime: now,
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.sort().join(', ')}`,
    });
  }
  if (deleteErrors.length > 0) {
    conditions.push({
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      lastTransitionTime: now,
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${deleteErrors.length} remaining: ${[...deleteErrors].sort().join(', ')}`,
    });
  }
  return conditions;
}

/**
 * Merges failing conditions into the current list: every maintained type present, failing ones
 * as given, the others False with their "ok" wording; lastTransitionTime changes only when the
 * status flips. Returns the new list and whether anything changed.
 */
export function updateConditions(
  current: readonly NamespaceCondition[],
  failing: readonly NamespaceCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of NAMESPACE_CONDITION_TYPES) {
    const wanted = failing.find((c) => c.type === type) ?? {
      type,
      status: 'False' as const,
      lastTransitionTime: now,
      ...OK[type],
    };
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push(wanted);
      changed = true;
    } else if (
      existing.status !== wanted.status ||
      existing.reason !== wanted.reason ||
      existing.message !== wanted.message
    ) {
      if (existing.status !== wanted.status) existing.lastTransitionTime = now;
      existing.status = wanted.status;
      existing.reason = wanted.reason;
      existing.message = wanted.message;
      changed = true;
    }
  }
  return { conditions, changed };
}
