using MnistTrainer.Lesson;

namespace MnistTrainer.Tests.Lesson;

public class LossStepTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void An_untrained_network_loses_about_ln_10()
    {
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            using var batch = data.Batch(seed);
            using var model = LogitsNetwork.New(seed);
            var result = LossStep.Run(model, batch);
            Assert.Equal(10, result.ClassCount);
            Assert.Equal(Math.Log(10), result.UniformGuessLoss, 12);
            Assert.InRange(result.Loss, Math.Log(10) - 0.1, Math.Log(10) + 0.1);
        }
    }
}
