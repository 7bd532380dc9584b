using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

public class LearningRateScheduleTests
{
    const double Peak = 0.05;
    const int StepsPerEpoch = 100, Epochs = 10, Total = StepsPerEpoch * Epochs;

    static double At(ScheduleKind schedule, long step) => LearningRateSchedule.At(schedule, Peak, step, Total, StepsPerEpoch);

    [Fact]
    public void Constant_is_the_given_rate_throughout()
    {
        Assert.All(new long[] { 0, 500, Total - 1 }, step => Assert.Equal(Peak, At(ScheduleKind.Constant, step)));
    }

    [Fact]
    public void Step_divides_by_ten_after_half_and_three_quarters_of_the_epochs()
    {
        Assert.Equal(Peak, At(ScheduleKind.Step, 4 * StepsPerEpoch + 99));
        Assert.Equal(Peak / 10, At(ScheduleKind.Step, 5 * StepsPerEpoch), 12);
        Assert.Equal(Peak / 10, At(ScheduleKind.Step, 7 * StepsPerEpoch), 12);
        Assert.Equal(Peak / 100, At(ScheduleKind.Step, 8 * StepsPerEpoch), 12);
    }

    [Fact]
    public void Cosine_falls_from_the_peak_through_half_to_almost_zero()
    {
        Assert.Equal(Peak, At(ScheduleKind.Cosine, 0), 12);
        Assert.Equal(Peak / 2, At(ScheduleKind.Cosine, Total / 2), 12);
        Assert.InRange(At(ScheduleKind.Cosine, Total - 1), 0, Peak * 1e-5);
    }

    [Fact]
    public void One_cycle_rises_from_a_25th_to_the_peak_at_30_percent_then_falls_as_PyTorchs_OneCycleLR()
    {
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.05, total_steps=1000) gives these (PyTorch 1.13).
        Assert.Equal(0.002, At(ScheduleKind.OneCycle, 0), 12);
        Assert.Equal(Peak, At(ScheduleKind.OneCycle, 299), 12);
        Assert.Equal(0.002 / 1e4, At(ScheduleKind.OneCycle, Total - 1), 12);
        var rates = Enumerable.Range(0, Total).Select(s => At(ScheduleKind.OneCycle, s)).ToArray();
        for (int s = 1; s < Total; s++)
            Assert.True(s <= 299 ? rates[s] > rates[s - 1] : rates[s] < rates[s - 1], $"step {s}: {rates[s - 1]} then {rates[s]}");
    }
}
