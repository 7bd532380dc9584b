using System.Diagnostics;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// A dedicated worker thread that takes one half of a piece of work while the caller does the other:
/// <see cref="Share"/> hands it over in a few microseconds (the worker spins for a while after each
/// job, then sleeps), where OpenMP's fork-join or <c>Parallel.Invoke</c> cost more than the half of a
/// small matrix product saves. If the worker has not started its half by the time the caller finishes
/// its own (no core free for it), the caller does that half too: never much slower than one thread.
/// </summary>
/// <remarks>
/// Both halves must be independent (disjoint outputs). The worker runs with autograd off, like the
/// training step that uses it; it allocates nothing per job.
/// </remarks>
public sealed class SecondCore : IDisposable
{
    /// <summary>How long the worker spins after a job before it sleeps: longer than the gaps between a training run's hand-offs.</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 1000; // 1 ms

    readonly Thread thread;
    readonly SemaphoreSlim wake = new(0);
    Action? job;
    long posted;        // generation of the last job posted
    long claimed;       // generation of the last job someone took: the caller or the worker moves it from g − 1 to g
    long finished;      // generation of the last job the worker finished
    int sleeping;       // 1 while the worker waits on `wake`
    volatile bool stopping;

    public SecondCore()
    {
        thread = new Thread(Work) { IsBackground = true, Name = "MnistTrainer second core" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="theirs"/> on the worker and <paramref name="mine"/> here; returns when both are done.</summary>
    public void Share(Action mine, Action theirs)
    {
        Start(theirs);
        mine();
        Finish();
    }

    /// <summary>Hands <paramref name="theirs"/> to the worker; <see cref="Finish"/> must follow before the next <see cref="Start"/>.</summary>
    public void Start(Action theirs)
    {
        job = theirs; // the previous job is finished, so the worker reads this one only after the increment below
        Interlocked.Increment(ref posted);
        if (Volatile.Read(ref sleeping) == 1) wake.Release();
    }

    /// <summary>Returns when the job of the last <see cref="Start"/> is done: by the worker, or here if it has not begun it.</summary>
    public void Finish()
    {
        long generation = Volatile.Read(ref posted);
        if (Interlocked.CompareExchange(ref claimed, generation, generation - 1) == generation - 1)
        {
            job!(); // the worker did not get to it
            return;
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref finished) < generation)
            spin.SpinOnce(sleep1Threshold: -1);
    }

    void Work()
    {
        set_grad_enabled(false);
        long seen = 0;
        while (true)
        {
            long generation = WaitForJob(seen);
            if (stopping) return;
            seen = generation;
            if (Interlocked.CompareExchange(ref claimed, generation, generation - 1) != generation - 1) continue; // the caller took it
            job!();
            Volatile.Write(ref finished, generation);
        }
    }

    /// <summary>Spins for a while, then sleeps, until a job newer than <paramref name="seen"/> is posted.</summary>
    long WaitForJob(long seen)
    {
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        for (int i = 0; ; i++)
        {
            long generation = Volatile.Read(ref posted);
            if (generation != seen || stopping) return generation;
            Thread.SpinWait(1);
            if ((i & 63) == 63 && Stopwatch.GetTimestamp() > until) break;
        }
        while (true)
        {
            Volatile.Write(ref sleeping, 1);
            long generation = Volatile.Read(ref posted); // checked after announcing the sleep: no wake-up is lost
            if (generation != seen || stopping)
            {
                Volatile.Write(ref sleeping, 0);
                return generation;
            }
            wake.Wait();
            Volatile.Write(ref sleeping, 0);
        }
    }

    public void Dispose()
    {
        stopping = true;
        wake.Release();
        thread.Join();
        wake.Dispose();
    }
}
