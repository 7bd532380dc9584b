using System.CommandLine;
using System.Net;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Web;
using Microsoft.AspNetCore.Builder;

namespace MnistTrainer.Cli;

/// <summary><c>serve</c>: a web page to draw digits on and watch the trained network answer, with its JSON API.</summary>
public static class ServeCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption.Create();
        var host = new Option<string>("--host")
        {
            HelpName = "ADDRESS",
            Description = "Address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every network), or another IP address",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port")
        {
            HelpName = "N",
            Description = "Port to listen on (0: any free port)",
            DefaultValueFactory = _ => 5000,
        };
        var data = new DataOptions();
        host.Check(h => ListenAddress.Parse(h) == null ? $"--host {h} is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost." : null);
        port.ParseInvariantly();
        port.Check(p => p is < 0 or > 65535 ? $"--port must be between 0 and 65535 (got {p})." : null);

        var command = new Command("serve", "Serve a web page where you draw a digit and see the model's class probabilities as you draw");
        foreach (var option in new Option[] { model, host, port, data.DataDir })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var modelPath = ModelOption.Resolve(parse.GetValue(model));
            data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Input(model.Name, modelPath).Check();
            var address = ListenAddress.Parse(parse.GetValue(host)!)!;
            int portNumber = parse.GetValue(port);
            ListenAddress.CheckUsable(address, portNumber);
            ThreadOptions.Apply(ThreadOptions.Default);
            using var trained = ModelFile.Load(modelPath);
            var dataset = ModelOption.DatasetOf(modelPath, trained);
            var accuracy = trained.Metadata.Training?.TestAccuracy is double a ? $", test accuracy {PredictionOutput.Percent(a)}" : "";
            terminal.Out.WriteLine($"Model {modelPath} ({dataset.DisplayName}{accuracy})");
            var served = new ServedModel(trained, modelPath, dataset, TestSet(dataset, data, parse, terminal));

            WebApplication app;
            try
            {
                app = DrawingServer.StartAsync(served, address, portNumber,
                    e => terminal.Error.WriteLine($"error: internal error: {e.Message}"), cancel).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                // Taken since the check above: Kestrel's bind error has the socket's as its cause.
                throw ListenAddress.Unusable(address, portNumber, e.InnerException ?? e);
            }
            using (app)
            {
                if (ListenAddress.ReachesBeyondThisMachine(address))
                    terminal.Error.WriteLine($"warning: --host {address} lets other machines reach the page and its API, which have no authentication: " +
                        "anyone who can reach this port can use them. Use --host 127.0.0.1 to keep it on this machine.");
                terminal.Out.WriteLine($"Serving the drawing page at {string.Join(", ", app.Urls.Select(u => u + "/"))} (Ctrl+C to stop)");
                using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel, app.Lifetime.ApplicationStopping);
                stopping.Token.WaitHandle.WaitOne();
                app.StopAsync().GetAwaiter().GetResult();
            }
            terminal.Out.WriteLine("Stopped.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The test set for the page's test-image button, from the local folders only: serve never downloads.</summary>
    static LabeledImages? TestSet(DatasetInfo dataset, DataOptions data, ParseResult parse, Terminal terminal)
    {
        try
        {
            return DatasetLoading.LoadTest(dataset, data, parse, terminal, CancellationToken.None, localOnly: true);
        }
        catch (DatasetNotFoundException)
        {
            terminal.Out.WriteLine($"No {dataset.DisplayName} test files found: the page's test-image button is off (--data-dir FOLDER to give them).");
            return null;
        }
    }
}
