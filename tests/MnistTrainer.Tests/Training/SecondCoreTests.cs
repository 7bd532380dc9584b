using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

public class SecondCoreTests
{
    [Fact]
    public void RunsEveryChunkOfEveryJobExactlyOnce()
    {
        // Jobs of 1 to 5 chunks in turn, as training's jobs of 2 and 4: a helper that read the state of one
        // job as the next, larger one was published once ran a chunk twice. Tiny chunks keep it racing.
        using var secondCore = new SecondCore();
        const int Jobs = 40_000;
        var chunkCounts = Enumerable.Range(0, Jobs).Select(job => 1 + job % 5).ToArray();
        var firstOfJob = new int[Jobs + 1];
        for (int job = 0; job < Jobs; job++) firstOfJob[job + 1] = firstOfJob[job] + chunkCounts[job];
        var runs = new int[firstOfJob[Jobs]];
        for (int job = 0; job < Jobs; job++)
        {
            int first = firstOfJob[job];
            secondCore.Run(chunkCounts[job], chunk =>
            {
                Interlocked.Increment(ref runs[first + chunk]);
                Thread.SpinWait(job % 7 * 10);
            });
            // Run returns only when all its chunks are done: none may still be running.
            for (int chunk = 0; chunk < chunkCounts[job]; chunk++) Assert.Equal(1, Volatile.Read(ref runs[first + chunk]));
        }
        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(Jobs, secondCore.Jobs);
        // Whether the helper was kept depends on the machine's load; it was offered the warm-up jobs at least.
        Assert.True(secondCore.SharedJobs >= 512, $"shared {secondCore.SharedJobs}");
    }

    [Fact]
    public void AFreshHelpersFirstJobRunsEachChunkOnce()
    {
        // The race window of a new helper: its first job, while the helper thread is just starting to look.
        for (int round = 0; round < 1000; round++)
        {
            using var secondCore = new SecondCore();
            var runs = new int[4];
            secondCore.Run(4, chunk => { Interlocked.Increment(ref runs[chunk]); Thread.SpinWait(20); });
            Assert.All(runs, count => Assert.Equal(1, count));
            int done = 0;
            secondCore.Run(4, _ => Interlocked.Increment(ref done)); // and the second job's wait ends when it is done
            Assert.Equal(4, done);
        }
    }

    [Fact]
    public void AChunkThatThrowsFailsTheRunAndTheNextRunsStillWork()
    {
        using var secondCore = new SecondCore();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            var error = Record.Exception(() => secondCore.Run(4, chunk =>
            {
                Thread.SpinWait(20);
                if (chunk == 2) throw new InvalidDataException("chunk 2");
            }));
            // Thrown on the caller's thread as is, or from the helper wrapped with the chunk's exception inside.
            Assert.NotNull(error);
            Assert.True(error is InvalidDataException || error.InnerException is InvalidDataException, error.ToString());
        }
        int done = 0;
        secondCore.Run(4, _ => Interlocked.Increment(ref done));
        Assert.Equal(4, done);
    }

    [Fact]
    public void DropsAHelperThatMakesTheJobsSlower()
    {
        // Any chunk the helper takes costs it a millisecond, the caller nothing: after the first trial the
        // jobs are run alone, whatever else the machine is doing (a busy machine only makes the helper slower).
        using var secondCore = new SecondCore();
        int caller = Environment.CurrentManagedThreadId;
        void SlowOnTheHelper(int chunk)
        {
            if (Environment.CurrentManagedThreadId != caller) Thread.Sleep(1);
            else Thread.SpinWait(100);
        }
        while (secondCore.Trials == 0 && secondCore.Jobs < 10_000) secondCore.Run(4, SlowOnTheHelper);
        Assert.Equal(1, secondCore.Trials);
        Assert.False(secondCore.HelperKept);
        // From then on only the later trials' blocks with the helper (a sixteenth of a trial and the jobs between
        // trials) are offered to it, and each trial drops it again.
        long sharedBefore = secondCore.SharedJobs;
        for (int job = 0; job < 4000; job++) secondCore.Run(4, SlowOnTheHelper);
        Assert.InRange(secondCore.SharedJobs - sharedBefore, 0, 4000 / 10);
        Assert.False(secondCore.HelperKept);
    }
}
