import KitModel
import KitStacks
import KitTerraform
/// The scheduler's bookkeeping for `EstateRunner`, linear in components and edges: how many
/// prerequisites of each component are unfinished, whom each one unblocks, and the components ready to
/// start, ordered by their position in the run order. Used by one thread (the scheduler's loop).
struct Schedule {
    /// Each component's position in the run order.
    let position: [InstanceID: Int]
    private let order: [InstanceID]
    private var unfinished: [Int]
    private var dependents: [[Int]]
    /// Started, or given a result without starting.
    private var settled: [Bool]
    private var ready = MinHeap()
    private var unsettled: Int

    init(order: [InstanceID], prerequisites: [InstanceID: Set<InstanceID>]) {
        self.order = order
        var position: [InstanceID: Int] = [:]
        position.reserveCapacity(order.count)
        for (i, id) in order.enumerated() { position[id] = i }
        self.position = position
        unfinished = [Int](repeating: 0, count: order.count)
        dependents = [[Int]](repeating: [], count: order.count)
        settled = [Bool](repeating: false, count: order.count)
        unsettled = order.count
        for (i, id) in order.enumerated() {
            for p in prerequisites[id] ?? [] {
                guard let j = position[p] else { continue }   // outside the run: never waited for
                unfinished[i] += 1
                dependents[j].append(i)
            }
        }
        for i in order.indices where unfinished[i] == 0 { ready.push(i) }
    }

    /// Every component has started or been given a result.
    var isDone: Bool { unsettled == 0 }

    /// The earliest (in run order) component whose prerequisites all finished well; it counts as started.
    mutating func nextReady() -> InstanceID? {
        while let i = ready.pop() {
            if settled[i] { continue }
            settled[i] = true
            unsettled -= 1
            return order[i]
        }
        return nil
    }

    /// `id` finished well: its dependents have one unfinished prerequisite fewer.
    mutating func unblock(after id: InstanceID) {
        guard let j = position[id] else { return }
        for d in dependents[j] where !settled[d] {
            unfinished[d] -= 1
            if unfinished[d] == 0 { ready.push(d) }
        }
    }

    /// `id` finished without unblocking its dependents: every component downstream of it is settled
    /// without starting. Returns each with the prerequisite that blocked it, in run order per level.
    mutating func block(after id: InstanceID) -> [(blocked: InstanceID, by: InstanceID)] {
        guard let j = position[id] else { return [] }
        var out: [(InstanceID, InstanceID)] = []
        var work = [j]
        var k = 0
        while k < work.count {
            let b = work[k]
            k += 1
            for d in dependents[b].sorted() where !settled[d] {
                settled[d] = true
                unsettled -= 1
                out.append((order[d], order[b]))
                work.append(d)
            }
        }
        return out
    }

    /// Settles everything not yet started (an interrupt, or a failure with fail-fast), in run order.
    mutating func drain() -> [InstanceID] {
        var out: [InstanceID] = []
        for i in order.indices where !settled[i] {
            settled[i] = true
            out.append(order[i])
        }
        unsettled = 0
        return out
    }
}

/// A binary min-heap of run-order positions.
struct MinHeap {
    private var items: [Int] = []

    mutating func push(_ x: Int) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return top
    }
}
