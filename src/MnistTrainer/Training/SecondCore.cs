using System.Diagnostics;

namespace MnistTrainer.Training;

/// <summary>
/// Shares a job's chunks with one helper thread, on a machine's second core, as long as that measurably
/// makes the steps faster. The calling thread works through the chunks too, taking whichever is next, so a
/// helper that is late or not running at all costs nothing but the check: the caller never waits for a
/// chunk that has not been started.
/// </summary>
/// <remarks>
/// <para>
/// Why not libtorch's threads: they hand work over with OpenMP's fork-join, in which every thread spins
/// until all have arrived; on two cores, any other runnable thread stalls the whole product (epochs
/// 10–100× slower). Here the caller never waits for a chunk nobody has taken, only for one the helper
/// is in the middle of (a chunk is about 40 µs).
/// </para>
/// <para>
/// A helper is fast only while it spins on a core of its own: woken from a sleep it comes too late for
/// jobs of 100 µs. But when another program wants that core, its spinning takes time from everyone,
/// the caller included, also between jobs. So whole intervals are timed, from one job's start to the
/// next's: a trial runs <see cref="TrialPairs"/> pairs of a block of jobs with the helper and a block
/// without (the helper asleep); the helper is kept for the next <see cref="DecidedJobs"/> jobs or more only if it
/// was clearly faster over the whole trial and in most pairs (a pause that hits one block sways one pair,
/// not the choice; a tie goes to working alone). Then a new trial, as the machine's load may have changed.
/// Unused, the helper sleeps and takes no CPU.
/// </para>
/// <para>
/// Which thread computes a chunk never changes the result: the caller's job computes each chunk the same
/// way whoever runs it, and chunks write disjoint memory.
/// </para>
/// </remarks>
public sealed class SecondCore : IDisposable
{
    /// <summary>Jobs shared before the first trial: the JIT's first compilations would distort it.</summary>
    const int WarmUpJobs = 512;
    /// <summary>A trial: this many pairs of a block with the helper and a block without, one after the other.</summary>
    const int TrialPairs = 8;
    const int BlockJobs = 16;
    /// <summary>
    /// Jobs run as the last trial chose before the next trial: with the helper 4096 (about 0.7 s of training),
    /// without it 1024 (a trial misled by a pause costs the second core for less long); twice as many each
    /// time a trial confirms the choice before it, up to 16 times: trials cost time too.
    /// </summary>
    const int DecidedJobs = 4096, DecidedJobsAlone = 1024, MostDecidedFactor = 16;
    const int TrialJobs = 2 * TrialPairs * BlockJobs;
    /// <summary>How long (in spins of about a microsecond) an idle helper waits for work before it sleeps.</summary>
    const int SpinsBeforeSleep = 2000;

    readonly Thread helper;
    readonly SemaphoreSlim wake = new(0);
    Action<int> job = _ => { };
    int chunkCount;
    /// <summary>
    /// The job's generation (high 32 bits) and its next unclaimed chunk (low 32 bits), claimed atomically.
    /// Closed from the start: left at 0, a helper that read it while the first job was being written could
    /// claim that job's chunk 0 under generation 0 and run it beside the caller, and its late count of a
    /// finished chunk then ended the wait for the next job too early.
    /// </summary>
    long claims = Closed;
    /// <summary>
    /// The low bits of a finished job's <see cref="claims"/>: more than any job's chunks. (Left at the job's own
    /// chunk count, a helper that read it just before the next job, of more chunks, was published could claim
    /// that job's chunk under the old generation, and run it a second time beside the caller.)
    /// </summary>
    const uint Closed = int.MaxValue;
    int finished;
    Exception? helperFailure;
    volatile bool stopping;
    int sleeping;

    // The trials: the position in warm-up, trial and decided jobs; each trial block's time and intervals counted;
    // the block the last job's interval belongs to (−1: none) and when that job started.
    long jobNumber, trialStart = WarmUpJobs;
    int decidedJobs = DecidedJobs;
    readonly long[] blockTicks = new long[2 * TrialPairs];
    readonly int[] blockIntervals = new int[2 * TrialPairs];
    int pendingBlock = -1;
    bool decideAtNextJob;
    long lastStart;
    bool helperChosen;
    /// <summary>Whether the current job was shared: when it was not, an idle helper sleeps at once instead of spinning.</summary>
    volatile bool helperWanted = true;

    /// <summary>Whether a second core may help: the process may run on at least two (its affinity and cgroup limits count).</summary>
    public static bool IsAvailable => Environment.ProcessorCount >= 2;

    public SecondCore()
    {
        helper = new Thread(HelperLoop) { IsBackground = true, Name = "MnistTrainer second core" };
        helper.Start();
    }

    /// <summary>Jobs so far that the helper was offered.</summary>
    public long SharedJobs { get; private set; }

    /// <summary>Jobs so far.</summary>
    public long Jobs { get; private set; }

    /// <summary>Trials decided so far.</summary>
    public int Trials { get; private set; }

    /// <summary>Whether the last trial kept the helper (until the first trial, it is used).</summary>
    public bool HelperKept => Trials == 0 || helperChosen;

    /// <summary>Runs <paramref name="work"/>(0) … <paramref name="work"/>(<paramref name="chunks"/> − 1), each once, and returns when all are done.</summary>
    public void Run(int chunks, Action<int> work)
    {
        long start = Stopwatch.GetTimestamp();
        RecordInterval(start);
        if (jobNumber >= trialStart + TrialJobs + decidedJobs) trialStart = jobNumber;
        long position = jobNumber < WarmUpJobs ? -1 : jobNumber - trialStart;
        bool share = position < 0 || (position < TrialJobs ? position / BlockJobs % 2 == 0 : helperChosen);
        helperWanted = share;
        bool wokeHelper = share && RunShared(chunks, work);
        if (!share) for (int chunk = 0; chunk < chunks; chunk++) work(chunk);
        Jobs++;
        if (share) SharedJobs++;
        lastStart = start;
        bool inTrial = position >= 0 && position < TrialJobs;
        // A helper woken from sleep comes late: that job is no fair trial, and the trial takes another in its place.
        pendingBlock = inTrial && !wokeHelper ? (int)(position / BlockJobs) : -1;
        if (inTrial && wokeHelper) return;
        jobNumber++;
        decideAtNextJob = position == TrialJobs - 1;
    }

    /// <summary>
    /// Adds the time from the last job's start to this one's to the last job's trial block: the job and the work
    /// between jobs, where a spinning helper competes with other programs for the caller's core too.
    /// </summary>
    void RecordInterval(long now)
    {
        if (pendingBlock >= 0)
        {
            long ticks = now - lastStart;
            if (ticks < Stopwatch.Frequency / 100) // longer than 10 ms is no step's work (an evaluation, a pause): left out
            {
                blockTicks[pendingBlock] += ticks;
                blockIntervals[pendingBlock]++;
            }
            pendingBlock = -1;
        }
        if (decideAtNextJob)
        {
            decideAtNextJob = false;
            Decide();
        }
    }

    /// <summary>
    /// The helper is kept if its intervals took at least 10% less time on average than those without it, over
    /// the whole trial and in most of its pairs: on average, because a helper that loses its core now and
    /// then costs more in those moments than it saves in the others (seen on a VM whose two virtual cores
    /// were at times two halves of one physical core); in most pairs, so that one pause does not decide.
    /// </summary>
    void Decide()
    {
        int wins = 0;
        long withTicks = 0, withoutTicks = 0;
        int withIntervals = 0, withoutIntervals = 0;
        for (int pair = 0; pair < TrialPairs; pair++)
        {
            int with = 2 * pair, without = 2 * pair + 1;
            (withTicks, withIntervals) = (withTicks + blockTicks[with], withIntervals + blockIntervals[with]);
            (withoutTicks, withoutIntervals) = (withoutTicks + blockTicks[without], withoutIntervals + blockIntervals[without]);
            if (blockIntervals[with] > 0 && blockIntervals[without] > 0
                && (double)blockTicks[with] / blockIntervals[with] < 0.9 * blockTicks[without] / blockIntervals[without])
                wins++;
        }
        bool chosen = wins > TrialPairs / 2 && withIntervals > 0 && withoutIntervals > 0
            && (double)withTicks / withIntervals < 0.9 * withoutTicks / withoutIntervals;
        int first = chosen ? DecidedJobs : DecidedJobsAlone;
        decidedJobs = Trials > 0 && chosen == helperChosen ? Math.Min(2 * decidedJobs, MostDecidedFactor * first) : first;
        helperChosen = chosen;
        Trials++;
        Array.Clear(blockTicks);
        Array.Clear(blockIntervals);
    }

    /// <summary>Runs the job with the helper; returns whether the helper had to be woken for it.</summary>
    bool RunShared(int chunks, Action<int> work)
    {
        job = work;
        chunkCount = chunks;
        Volatile.Write(ref finished, 0);
        long generation = (Volatile.Read(ref claims) >> 32) + 1;
        Volatile.Write(ref claims, generation << 32); // publishes the job: the helper may start now
        bool woke = Interlocked.Exchange(ref sleeping, 0) == 1;
        if (woke) wake.Release();
        try
        {
            while (TryClaim(out int chunk, out var claimed))
            {
                try { claimed(chunk); }
                finally { Interlocked.Increment(ref finished); } // a chunk that threw is over too
            }
        }
        finally
        {
            // Closes the job (after an exception some chunks are left: no one may start them now), then waits
            // for the chunks claimed: the helper's chunk uses the caller's buffers, so it must end first.
            long before = Interlocked.Exchange(ref claims, (generation << 32) | Closed);
            int claimedChunks = Math.Min(chunks, (int)(before & 0xFFFF_FFFF));
            var spin = new SpinWait();
            while (Volatile.Read(ref finished) < claimedChunks) spin.SpinOnce(sleep1Threshold: -1);
        }
        if (Interlocked.Exchange(ref helperFailure, null) is { } failure)
            throw new InvalidOperationException("the second core's chunk failed", failure);
        return woke;
    }

    /// <summary>Whether the current job has a chunk no one has claimed.</summary>
    bool HasUnclaimed()
    {
        long seen = Volatile.Read(ref claims);
        return (int)(seen & 0xFFFF_FFFF) < chunkCount;
    }

    /// <summary>
    /// Claims the current job's next chunk. The generation in <see cref="claims"/> makes a claim that raced
    /// with the start of the next job fail, so a chunk number is never paired with another job's work.
    /// </summary>
    bool TryClaim(out int chunk, out Action<int> work)
    {
        while (true)
        {
            long seen = Volatile.Read(ref claims);
            (work, int count) = (job, chunkCount);
            chunk = (int)(seen & 0xFFFF_FFFF);
            if (chunk >= count) return false;
            if (Interlocked.CompareExchange(ref claims, seen + 1, seen) == seen) return true;
        }
    }

    void HelperLoop()
    {
        int idleSpins = 0;
        while (!stopping)
        {
            if (TryClaim(out int chunk, out var work))
            {
                try { work(chunk); }
                catch (Exception e) { helperFailure = e; }
                Interlocked.Increment(ref finished);
                idleSpins = 0;
            }
            else if (helperWanted && ++idleSpins < SpinsBeforeSleep) Thread.SpinWait(30);
            else
            {
                Interlocked.Exchange(ref sleeping, 1); // a fence: the check below sees any job published before it
                if (!HasUnclaimed() && !stopping) wake.Wait(); // a job published after it wakes us
                Volatile.Write(ref sleeping, 0);
                idleSpins = 0;
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        wake.Release();
        helper.Join();
        wake.Dispose();
    }
}
