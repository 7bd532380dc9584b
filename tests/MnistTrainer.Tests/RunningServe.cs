using System.Text.RegularExpressions;
using MnistTrainer.Cli;

namespace MnistTrainer.Tests;

/// <summary>
/// The real <c>serve</c> command running in this process on a free loopback port, with an HTTP client
/// on it; <see cref="Stop"/> presses Ctrl+C (cancels its token) and returns the exit code.
/// </summary>
public sealed class RunningServe : IDisposable
{
    readonly StringWriter output = new(), error = new();
    readonly TextWriter syncOutput, syncError;
    readonly CancellationTokenSource ctrlC = new();
    readonly Task<int> run;

    RunningServe(string[] args)
    {
        syncOutput = TextWriter.Synchronized(output);
        syncError = TextWriter.Synchronized(error);
        run = Task.Factory.StartNew(() => App.Run(["serve", "--port", "0", .. args], new Terminal(syncOutput, syncError, IsInteractive: false), ctrlC.Token),
            TaskCreationOptions.LongRunning);
    }

    /// <summary>Starts <c>serve --port 0</c> with <paramref name="args"/> and waits (up to a minute) for the URL it prints.</summary>
    public static RunningServe Start(params string[] args)
    {
        var serve = new RunningServe(args);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (serve.Url == null)
        {
            if (serve.run.IsCompleted) throw new InvalidOperationException($"serve ended with {serve.run.Result}: {serve.Out}{serve.Error}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"serve printed no URL in a minute: {serve.Out}{serve.Error}");
            Thread.Sleep(20);
        }
        serve.Http = new HttpClient { BaseAddress = serve.Url, Timeout = TimeSpan.FromMinutes(1) };
        return serve;
    }

    public HttpClient Http { get; private set; } = null!;

    public string Out { get { lock (syncOutput) return output.ToString(); } }
    public string Error { get { lock (syncError) return error.ToString(); } }

    public Uri? Url => Regex.Match(Out, @"at (http://\S+/) ") is { Success: true } m ? new Uri(m.Groups[1].Value) : null;

    /// <summary>Ctrl+C: the exit code, once the command has returned (within a minute).</summary>
    public int Stop()
    {
        ctrlC.Cancel();
        if (!run.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("serve did not stop within a minute of Ctrl+C");
        return run.Result;
    }

    public void Dispose()
    {
        if (!run.IsCompleted) Stop();
        Http?.Dispose();
    }
}
