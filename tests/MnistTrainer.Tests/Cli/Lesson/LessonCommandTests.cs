using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class LessonCommandTests
{
    static readonly string Mnist = RealDatasets.MnistFolder;

    [Fact]
    public void Autograd_speaks_English_by_default_and_Portuguese_with_lang_pt()
    {
        var english = CliRun.Of("lesson", "autograd", "--seed", "1", "--lang", "en");
        Assert.Equal(0, english.ExitCode);
        Assert.Contains("x.grad before z.backward(): None", english.Out);
        Assert.Contains("Check: x.grad equals x/2", english.Out);

        var portuguese = CliRun.Of("lesson", "autograd", "--seed", "1", "--lang", "pt");
        Assert.Equal(0, portuguese.ExitCode);
        Assert.Contains("x.grad antes de z.backward(): None", portuguese.Out);
        Assert.Contains("Verificação: x.grad é igual a x/2", portuguese.Out);
        Assert.Contains("with torch.no_grad(): (x * 2).requires_grad = False", portuguese.Out);
    }

    [Fact]
    public void An_unknown_language_is_a_usage_error()
    {
        var result = CliRun.Of("lesson", "autograd", "--lang", "fr");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("fr", result.Error);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1 (got 0).")]
    [InlineData("--limit", "0", "--limit must be at least 1.")]
    [InlineData("--limit", "1.000", "--limit must be a whole number (got '1.000').")]
    [InlineData("--seed", "x", "--seed must be a whole number (got 'x').")]
    public void Bad_train_options_are_one_clear_usage_error(string option, string value, string message)
    {
        var result = CliRun.Of("lesson", "train", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void Logsoftmax_in_English_shows_both_losses_and_the_check()
    {
        var result = CliRun.Of("lesson", "logsoftmax", "--dataset", "mnist", "--data-dir", Mnist, "--no-download", "--seed", "1", "--lang", "en");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"MNIST from {Mnist}: 7,000 training and 1,000 test images", result.Out);
        Assert.Contains("Loss, nn.NLLLoss() on the output of LogSoftmax(dim=1): 2.", result.Out);
        Assert.Contains("Loss, nn.CrossEntropyLoss() on the logits of the same weights: 2.", result.Out);
        Assert.Contains("Check: LogSoftmax + NLLLoss equals CrossEntropyLoss to within 1E-06", result.Out);
        Assert.EndsWith(": yes" + Environment.NewLine, result.Out);
    }

    [Fact]
    public void Step_in_Portuguese_uses_the_lessons_words()
    {
        var result = CliRun.Of("lesson", "step", "--dataset", "mnist", "--data-dir", Mnist, "--no-download", "--seed", "1", "--lang", "pt");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Pesos iniciais - model[0].weight", result.Out);
        Assert.Contains("Gradiente - model[0].weight.grad", result.Out);
        Assert.Contains("Pesos atualizados - model[0].weight", result.Out);
        Assert.Contains("Verificação: novo = antigo − lr·grad para todos os 100,352 pesos", result.Out);
        Assert.EndsWith(": sim" + Environment.NewLine, result.Out);
    }

    [Fact]
    public void Train_prints_the_lessons_loss_lines_and_the_chart_in_Portuguese()
    {
        var result = CliRun.Of("lesson", "train", "--dataset", "mnist", "--data-dir", Mnist, "--no-download", "--seed", "1", "--epochs", "1", "--limit", "500", "--lang", "pt");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Perda de treinamento: ", result.Out);
        Assert.Contains("Probabilidade de classe", result.Out);
        Assert.Matches(@"(?m)^9 \| ", result.Out);
    }

    [Fact]
    public void Train_with_the_accurate_recipe_keeps_the_lessons_lines_and_learns_more_per_epoch()
    {
        double[] Losses(string recipe)
        {
            var result = CliRun.Of("lesson", "train", "--dataset", "mnist", "--data-dir", Mnist, "--no-download", "--seed", "2",
                "--epochs", "3", "--limit", "2000", "--lang", "en", "--recipe", recipe);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("Class probability", result.Out);
            return System.Text.RegularExpressions.Regex.Matches(result.Out, @"Training loss: ([0-9.]+)")
                .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        var lesson = Losses("lesson");
        var accurate = Losses("accurate");
        Assert.Equal(3, lesson.Length);
        Assert.Equal(3, accurate.Length);
        Assert.True(accurate[^1] < lesson[^1], $"lesson {string.Join(" ", lesson)}; accurate {string.Join(" ", accurate)}");
    }
}
