using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Lesson;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>lesson</c>: the lesson "how to train a neural network", one subcommand per step, each computed for
/// real on real images. The numbers come from MnistTrainer.Lesson; this file only wires options and output.
/// </summary>
public static class LessonCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var lesson = new Command("lesson", "The lesson \"how to train a neural network\", step by step, computed on real data");
        lesson.Subcommands.Add(BatchStep("loss", "1. CrossEntropyLoss of an untrained network's logits on one batch (about ln 10)", terminal, cancel,
            (batch, seed, report) =>
            {
                using var model = MnistNetwork.CreateLogits(seed);
                report.Loss(LessonSteps.Loss(model, batch));
            }));
        lesson.Subcommands.Add(BatchStep("logsoftmax", "2. LogSoftmax(dim=1) with NLLLoss: the same loss as CrossEntropyLoss on the logits", terminal, cancel,
            (batch, seed, report) =>
            {
                using var model = Trainer.NewNetwork(seed);
                report.LogSoftmax(LessonSteps.LogSoftmax(model, batch));
            }));
        lesson.Subcommands.Add(Autograd(terminal));
        lesson.Subcommands.Add(BatchStep("gradients", "4. The first layer's weight gradient before and after loss.backward()", terminal, cancel,
            (batch, seed, report) =>
            {
                using var model = Trainer.NewNetwork(seed);
                report.Gradients(LessonSteps.Gradients(model, batch));
            }));
        lesson.Subcommands.Add(BatchStep("step", "5. One SGD step: the weights before, the gradient, the weights after (new = old − lr·grad)", terminal, cancel,
            (batch, seed, report) =>
            {
                using var model = Trainer.NewNetwork(seed);
                report.SgdStep(LessonSteps.SgdStep(model, batch, TrainingOptions.DefaultLearningRate));
            }));
        lesson.Subcommands.Add(LessonTrainCommand.Create(terminal, cancel));
        return lesson;
    }

    /// <summary>A step that runs on one batch of training images and a fresh network made from the seed.</summary>
    static Command BatchStep(string name, string description, Terminal terminal, CancellationToken cancel,
        Action<LessonBatch, long, LessonReport> run)
    {
        var options = new LessonOptions();
        var command = new Command(name, description);
        options.AddTo(command, readsImages: true);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            ThreadOptions.Apply(ThreadOptions.Default);
            long seed = options.GetSeed(parse);
            options.Data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Check();
            var dataset = DatasetLoading.LessonDataset(options.Data, parse, terminal);
            var (train, _) = DatasetLoading.LoadBoth(dataset, options.Data, parse, terminal, cancel);
            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            using var images = new ImageTensors(train);
            using var batch = LessonBatch.First(images, seed);
            report.Batch(batch);
            run(batch, seed, report);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Autograd(Terminal terminal)
    {
        var options = new LessonOptions();
        var command = new Command("autograd", "3. Autograd on y = x**2, z = y.mean(): x.grad before and after z.backward(), and torch.no_grad()");
        options.AddTo(command, readsImages: false);
        command.SetAction(parse =>
        {
            using var language = Language.Use(parse.GetValue(options.Lang));
            long seed = options.GetSeed(parse);
            var report = new LessonReport(terminal.Out);
            report.Seed(seed);
            report.Autograd(LessonSteps.Autograd(seed));
            return ExitCodes.Success;
        });
        return command;
    }
}
