namespace MnistTrainer.Tests.Cli;

public class LessonCommandTests
{
    [Fact]
    public void Autograd_speaks_English_by_default_and_Portuguese_with_lang_pt()
    {
        var english = AppRunner.Run("lesson", "autograd", "--seed", "1", "--lang", "en");
        Assert.Equal(0, english.ExitCode);
        Assert.Contains("x.grad before z.backward(): None", english.Out);
        Assert.Contains("Check: x.grad equals x/2", english.Out);

        var portuguese = AppRunner.Run("lesson", "autograd", "--seed", "1", "--lang", "pt");
        Assert.Equal(0, portuguese.ExitCode);
        Assert.Contains("x.grad antes de z.backward(): None", portuguese.Out);
        Assert.Contains("Verificação: x.grad é igual a x/2", portuguese.Out);
        Assert.Contains("with torch.no_grad(): (x * 2).requires_grad = False", portuguese.Out);
    }

    [Fact]
    public void An_unknown_language_is_a_usage_error()
    {
        var result = AppRunner.Run("lesson", "autograd", "--lang", "fr");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("fr", result.Error);
    }

    [LocalDataFact(LocalData.FashionMnistFolder)]
    public void Logsoftmax_in_English_shows_both_losses_and_the_check()
    {
        var result = AppRunner.Run("lesson", "logsoftmax", "--dataset", "fashion-mnist", "--seed", "1", "--lang", "en");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Fashion-MNIST from /usr/share/datasets/fashion-mnist: 60,000 training images", result.Out);
        Assert.Contains("Loss, nn.NLLLoss() on the output of LogSoftmax(dim=1): 2.", result.Out);
        Assert.Contains("Loss, nn.CrossEntropyLoss() on the logits of the same weights: 2.", result.Out);
        Assert.Contains("Check: LogSoftmax + NLLLoss equals CrossEntropyLoss to within 1E-06", result.Out);
        Assert.EndsWith(": yes" + Environment.NewLine, result.Out);
    }

    [LocalDataFact(LocalData.FashionMnistFolder)]
    public void Step_in_Portuguese_uses_the_lessons_words()
    {
        var result = AppRunner.Run("lesson", "step", "--dataset", "fashion-mnist", "--seed", "1", "--lang", "pt");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Pesos iniciais - model[0].weight", result.Out);
        Assert.Contains("Gradiente - model[0].weight.grad", result.Out);
        Assert.Contains("Pesos atualizados - model[0].weight", result.Out);
        Assert.Contains("Verificação: novo = antigo − lr·grad para todos os 100,352 pesos", result.Out);
        Assert.EndsWith(": sim" + Environment.NewLine, result.Out);
    }

    [LocalDataFact(LocalData.FashionMnistFolder)]
    public void Train_prints_the_lessons_loss_lines_and_the_chart_in_Portuguese()
    {
        var result = AppRunner.Run("lesson", "train", "--dataset", "fashion-mnist", "--seed", "1", "--epochs", "1", "--limit", "500", "--lang", "pt");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Perda de treinamento: ", result.Out);
        Assert.Contains("Probabilidade de classe", result.Out);
        Assert.Contains("Ankle boot | ", result.Out);
    }
}
