/**
 * What a piece of code left open that keeps a Node.js process alive, by
 * process.getActiveResourcesInfo() (its resource types: TCPServerWrap,
 * ProcessWrap, Timeout, ...). Used by test/jest/environment.js after every
 * test file.
 */

/** The resource types open now, as a multiset: type -> count. */
function openResources() {
  const counts = new Map();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Types open now beyond `baseline` (from openResources), one entry per extra resource. */
function openedSince(baseline) {
  const extra = [];
  for (const [type, count] of openResources()) {
    for (let index = baseline.get(type) ?? 0; index < count; index++) extra.push(type);
  }
  return extra.sort();
}

/**
 * openedSince(baseline), once it is empty or `settleMs` have passed: sockets
 * being closed and children exiting get that long to finish.
 */
async function leftOpenSince(baseline, settleMs) {
  const deadline = Date.now() + settleMs;
  let left = openedSince(baseline);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = openedSince(baseline);
  }
  return left;
}

module.exports = { openResources, openedSince, leftOpenSince };
