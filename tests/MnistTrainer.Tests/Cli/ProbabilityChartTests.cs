using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class ProbabilityChartTests
{
    [Fact]
    public void One_bar_per_class_as_long_as_its_probability()
    {
        var lines = ProbabilityChart.Lines("Class probability", ["cat", "dog"], [0.25f, 0.75f]).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("Class probability", lines[0]);
        Assert.StartsWith("cat | " + new string('█', 10) + " ", lines[1]);
        Assert.StartsWith("dog | " + new string('█', 30) + " ", lines[2]);
        Assert.EndsWith(" 0.750", lines[2]);
    }
}
