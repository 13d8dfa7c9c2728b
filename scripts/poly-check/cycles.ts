/** Cycles of a directed graph: one cycle (in edge order, first node repeated at the end) per strongly connected
 * component that has one, found with Tarjan's algorithm. Nodes and edges are visited in sorted order so the output
 * is deterministic. */
export const findCycles = (
  graph: ReadonlyMap<string, ReadonlySet<string>>
): ReadonlyArray<ReadonlyArray<string>> => {
  const nodes = [...graph.keys()].sort()
  const successors = (node: string) => [...(graph.get(node) ?? [])].filter((n) => graph.has(n)).sort()
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const components: Array<Array<string>> = []

  const connect = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const next of successors(node)) {
      if (!index.has(next)) {
        connect(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: Array<string> = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      components.push(component)
    }
  }
  for (const node of nodes) if (!index.has(node)) connect(node)

  const cycles: Array<ReadonlyArray<string>> = []
  for (const component of components) {
    const members = new Set(component)
    const start = [...component].sort()[0]!
    if (component.length === 1 && !successors(start).includes(start)) continue
    // Breadth-first search inside the component for the shortest path from `start` back to itself.
    const previous = new Map<string, string>()
    const queue = [start]
    let closing: string | undefined
    while (queue.length > 0 && closing === undefined) {
      const node = queue.shift()!
      for (const next of successors(node)) {
        if (!members.has(next)) continue
        if (next === start) {
          closing = node
          break
        }
        if (!previous.has(next)) {
          previous.set(next, node)
          queue.push(next)
        }
      }
    }
    const path = [start]
    for (let node = closing!; node !== start; node = previous.get(node)!) path.splice(1, 0, node)
    cycles.push([...path, start])
  }
  return cycles.sort((a, b) => a.join().localeCompare(b.join()))
}
