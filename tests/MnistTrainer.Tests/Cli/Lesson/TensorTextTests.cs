using MnistTrainer.Cli;
using MnistTrainer.Lesson;

namespace MnistTrainer.Tests.Cli;

public class TensorTextTests
{
    [Fact]
    public void A_small_matrix_is_written_whole_with_aligned_columns()
    {
        var text = TensorText.Format(new TensorValues([2, 2], [0.6614f, -0.2669f, 0.0617f, 0.6213f]));
        Assert.Equal($"[[ 0.6614, -0.2669],{Environment.NewLine} [ 0.0617,  0.6213]]", text);
    }

    [Fact]
    public void A_big_matrix_shows_its_first_and_last_three_rows_and_columns()
    {
        var values = Enumerable.Range(0, 128 * 784).Select(i => i / 100000f).ToArray();
        var lines = TensorText.Format(new TensorValues([128, 784], values)).Split(Environment.NewLine);
        Assert.Equal(7, lines.Length);
        Assert.Equal(" ...,", lines[3]);
        Assert.Equal("[[0.0000, 0.0000, 0.0000, ..., 0.0078, 0.0078, 0.0078],", lines[0]);
    }

    [Fact]
    public void Tiny_values_are_written_in_scientific_notation()
    {
        Assert.Equal("[-1.4414e-04,  3.0000e-05]", TensorText.Format(new TensorValues([2], [-1.4414e-4f, 3e-5f])));
    }
}
