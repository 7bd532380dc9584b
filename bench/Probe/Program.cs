// TorchSharp-side measurements for bench/benchmark.py and docs/benchmarks.md (not part of the app):
//
//   Probe floor  [--epochs 5] [--threads 1]
//       The matrix-product floor: the 8 products of one epoch of the lesson's network (batches of 64),
//       with libtorch's own BLAS (MKL). Prints "floor S s" (outputs preallocated: addmm_ with beta 0) and
//       "floor-allocating S s" (torch.mm making its outputs) per epoch, wall time.
//   Probe phases [--epochs 4] [--threads 1] [--before] [--data-dir DIR]
//       Where the time of a training step goes: Trainer's loop, timed phase by phase in thread CPU
//       time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), so time the thread waits for a core is not
//       counted), with the resident set after each epoch. --before runs the loop as it was before
//       the speed-ups (index_select + InputNormalization.Apply per batch, SGD.zero_grad()).
//   Probe latency --url URL --png FILE [--clients 1] [--requests 2000] [--seconds 20]
//       The latency of POST URL/api/predict with FILE (a running `serve`), from --clients loops each
//       sending its next request when the last is answered; stops after --requests answers or --seconds,
//       whichever comes first, after 50 unmeasured warm-up requests. Prints the count, median and 99th
//       percentile in milliseconds, and requests per second.
//   Probe healthz --url URL --png FILE [--clients 16] [--seconds 10]
//       Whether a running `serve` keeps answering under a burst of heavy uploads: --clients loops each POST
//       FILE to URL/api/predict again as soon as it is answered, while one more loop asks GET URL/healthz
//       every 20 ms; for --seconds. Prints the /healthz count, median, 99th percentile and maximum in
//       milliseconds, and the uploads' count, statuses and median.
//   Probe huge-png --side N --out FILE
//       Writes an N×N grayscale PNG of a white bar (a "1") on black: a few kilobytes that declare N×N pixels.
//   Probe optimizers [--epochs 5]
//       What TorchSharp's optimizers' step() costs alone, per epoch (938 steps) in process CPU time (the best of
//       --epochs repetitions), on random parameters and gradients of the lesson's network's shapes (six tensors),
//       of the same number of values in one tensor, and of the first layer's weight alone: how much of the cost
//       is per call and how much per value; for the six tensors also with FusedUpdate (libtorch's fused kernels).
//   Probe engines [--epochs 6] [--threads 1] [--data-dir DIR] [--only autograd,manual,fused,fold]
//                 [--optimizer sgd|adam|adamw] [--lr 0.01] [--momentum M] [--nesterov] [--weight-decay D]
//       The training step's variants side by side in one process, epoch by epoch in turn (so a busy
//       machine slows them alike), each with its own network, seed 1 and the same batches, the optimizer
//       the options name: autograd (loss.backward(), the optimizer's step), manual (ManualStep.Backward,
//       TorchSharp's optimizer.step()), fused (ManualStep.Backward, FusedUpdate: libtorch's fused kernel, as
//       train does) and fold (ManualStep.SgdStep: the lesson's plain SGD, lr 0.01, folded into
//       the products, whatever the options: the reference for the other settings' cost). Per
//       epoch: wall time, process CPU time, the loss. (The second-core variants measured in
//       docs/benchmarks.md were removed with SecondCore; they are in this file at commit 78145aa, and
//       the last SecondCore at ae97d28.)
using System.Diagnostics;
using System.Runtime.InteropServices;
using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

string mode = args.Length > 0 ? args[0] : "";
int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 ? int.Parse(args[i + 1]) : fallback;
string Text(string name) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : throw new ArgumentException($"{name} is required");
string dir = Array.IndexOf(args, "--data-dir") is var d and >= 0 ? args[d + 1] : "/usr/share/datasets/fashion-mnist";
set_num_threads(Arg("--threads", 1));

switch (mode)
{
    case "floor": Floor(Arg("--epochs", 5)); break;
    case "phases": Phases(Arg("--epochs", 4), args.Contains("--before")); break;
    case "latency": Latency(Text("--url"), Text("--png"), Arg("--clients", 1), Arg("--requests", 2000), Arg("--seconds", 20)); break;
    case "healthz": Healthz(Text("--url"), Text("--png"), Arg("--clients", 16), Arg("--seconds", 10)); break;
    case "huge-png": HugePng(Arg("--side", 7000), Text("--out")); break;
    case "engines": Engines(Arg("--epochs", 6)); break;
    case "optimizers": OptimizerSteps(Arg("--epochs", 5)); break;
    default: Console.Error.WriteLine("usage: Probe floor|phases|latency|healthz|huge-png|engines|optimizers [options] (see Program.cs)"); return 2;
}
return 0;

static void Latency(string url, string png, int clients, int requests, int seconds)
{
    var body = File.ReadAllBytes(png);
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.ConnectionClose = false;
    double Once()
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("image/png");
        var clock = Stopwatch.StartNew();
        using var response = http.PostAsync("api/predict", content).GetAwaiter().GetResult();
        response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }
    for (int i = 0; i < 50; i++) Once();

    var times = new System.Collections.Concurrent.ConcurrentBag<double>();
    var deadline = Stopwatch.StartNew();
    int started = 0;
    var loops = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
    {
        while (Interlocked.Increment(ref started) <= requests && deadline.Elapsed.TotalSeconds < seconds) times.Add(Once());
    })).ToList();
    loops.ForEach(t => t.Start());
    loops.ForEach(t => t.Join());
    var sorted = times.Order().ToArray();
    double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    Console.WriteLine($"clients {clients}  requests {sorted.Length}  median {Percentile(0.5):F2} ms  p99 {Percentile(0.99):F2} ms  {sorted.Length / deadline.Elapsed.TotalSeconds:F0} requests/s");
}

static void Healthz(string url, string png, int clients, int seconds)
{
    var body = File.ReadAllBytes(png);
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    var clock = Stopwatch.StartNew();
    var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
    var uploadTimes = new System.Collections.Concurrent.ConcurrentBag<double>();
    var uploaders = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
    {
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("image/png");
            var start = clock.Elapsed.TotalMilliseconds;
            string status;
            try
            {
                using var response = http.PostAsync("api/predict", content).GetAwaiter().GetResult();
                response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                status = ((int)response.StatusCode).ToString();
            }
            catch (Exception e) { status = e.GetType().Name; }
            uploadTimes.Add(clock.Elapsed.TotalMilliseconds - start);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        }
    })).ToList();
    uploaders.ForEach(t => t.Start());
    Thread.Sleep(200); // the uploads under way first
    var healthz = new List<double>();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        var start = clock.Elapsed.TotalMilliseconds;
        http.GetStringAsync("healthz").GetAwaiter().GetResult();
        healthz.Add(clock.Elapsed.TotalMilliseconds - start);
        Thread.Sleep(20);
    }
    uploaders.ForEach(t => t.Join());
    double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    var h = healthz.Order().ToArray();
    var u = uploadTimes.Order().ToArray();
    Console.WriteLine($"healthz {h.Length}  median {Percentile(h, 0.5):F1} ms  p99 {Percentile(h, 0.99):F1} ms  max {h[^1]:F1} ms");
    Console.WriteLine($"uploads {u.Length} ({string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))})  median {Percentile(u, 0.5):F0} ms");
}

static void HugePng(int side, string path)
{
    // Gray 8-bit rows, each a filter byte then the pixels: black with a white bar down the middle fifth.
    var row = new byte[side + 1];
    row.AsSpan(1 + side * 2 / 5, side / 5).Fill(255);
    var data = new MemoryStream();
    using (var z = new System.IO.Compression.ZLibStream(data, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        for (int y = 0; y < side; y++) z.Write(row);
    var png = new MemoryStream();
    png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    var header = new byte[13];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, side);
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
    header[8] = 8;
    PngChunk(png, "IHDR", header);
    PngChunk(png, "IDAT", data.ToArray());
    PngChunk(png, "IEND", []);
    File.WriteAllBytes(path, png.ToArray());
    Console.WriteLine($"{path}: {side}×{side}, {png.Length:N0} bytes");
}

static void PngChunk(Stream output, string type, byte[] data)
{
    var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
    var number = new byte[4];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
    output.Write(number);
    output.Write(typed);
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(number, PngCrc(typed));
    output.Write(number);
}

static uint PngCrc(byte[] data)
{
    uint crc = 0xFFFFFFFF;
    foreach (byte b in data)
    {
        crc ^= b;
        for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
}

static void Floor(int epochs)
{
    const int B = 64, batches = (60000 + B - 1) / B;
    using var scope = NewDisposeScope();
    var X = randn(B, 784); var W1 = randn(128, 784); var W2 = randn(64, 128); var W3 = randn(10, 64);
    var H1 = empty(B, 128); var H2 = empty(B, 64); var Y = empty(B, 10);
    var dY3 = randn(B, 10); var dY2 = randn(B, 64); var dY1 = randn(B, 128);
    var dW3 = empty(10, 64); var dH2 = empty(B, 64); var dW2 = empty(64, 128); var dH1 = empty(B, 128); var dW1 = empty(128, 784);
    var W1t = W1.t(); var W2t = W2.t(); var W3t = W3.t(); var dY3t = dY3.t(); var dY2t = dY2.t(); var dY1t = dY1.t();
    void Preallocated()
    {
        for (int b = 0; b < batches; b++)
        {
            H1.addmm_(X, W1t, 0, 1); H2.addmm_(H1, W2t, 0, 1); Y.addmm_(H2, W3t, 0, 1);
            dW3.addmm_(dY3t, H2, 0, 1); dH2.addmm_(dY3, W3, 0, 1);
            dW2.addmm_(dY2t, H1, 0, 1); dH1.addmm_(dY2, W2, 0, 1);
            dW1.addmm_(dY1t, X, 0, 1);
        }
    }
    void Allocating()
    {
        for (int b = 0; b < batches; b++)
        {
            using var inner = NewDisposeScope();
            X.mm(W1t); H1.mm(W2t); H2.mm(W3t);
            dY3t.mm(H2); dY3.mm(W3); dY2t.mm(H1); dY2.mm(W2); dY1t.mm(X);
        }
    }
    Preallocated(); Allocating(); // warm-up
    for (int i = 0; i < epochs; i++)
    {
        var clock = Stopwatch.StartNew(); Preallocated();
        Console.WriteLine($"floor {clock.Elapsed.TotalSeconds:F4} s");
        clock.Restart(); Allocating();
        Console.WriteLine($"floor-allocating {clock.Elapsed.TotalSeconds:F4} s");
    }
}

void Phases(int epochs, bool before)
{
    var images = DatasetFiles.Load(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Path.Combine(dir, "train-labels-idx1-ubyte.gz"), 10);
    using var train = new ImageTensors(images);
    using var network = Trainer.NewNetwork(1);
    var parameters = network.parameters().ToArray();
    using var criterion = nn.NLLLoss();
    using var optimizer = optim.SGD(network.parameters(), 0.01);
    using var shuffle = new Generator(1);
    using var loader = new BatchLoader(train, 64);
    const int B = 64;
    int batches = (train.Count + B - 1) / B;
    string[] names = ["batch", "zero_grad", "forward", "loss", "backward", "step", "item", "scope"];
    Console.WriteLine($"phases of the training step ({(before ? "before the speed-ups" : "as Trainer runs it")}), thread CPU ms per epoch");
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        var t = new long[names.Length];
        var wall = Stopwatch.StartNew();
        double running = 0;
        using var order = randperm(train.Count, generator: shuffle);
        for (int b = 0; b < batches; b++)
        {
            long c = ThreadCpu.Nanoseconds(), n;
            void Lap(int i) { n = ThreadCpu.Nanoseconds(); t[i] += n - c; c = n; }
            var scope = NewDisposeScope();
            int start = b * B, count = Math.Min(B, train.Count - start);
            Tensor x, y;
            if (before)
            {
                var indices = order.narrow(0, start, count);
                x = InputNormalization.Apply(train.Pixels.index_select(0, indices));
                y = train.Labels.index_select(0, indices);
            }
            else (x, y) = loader.Load(order, start, count);
            Lap(0);
            if (before) optimizer.zero_grad(); else foreach (var p in parameters) p.grad = null;
            Lap(1);
            var output = network.call(x); Lap(2);
            var loss = criterion.call(output, y); Lap(3);
            loss.backward(); Lap(4);
            optimizer.step(); Lap(5);
            running += loss.item<float>(); Lap(6);
            scope.Dispose(); Lap(7);
        }
        Console.WriteLine($"epoch {epoch}: loss {running / batches:F4}, wall {wall.Elapsed.TotalSeconds:F3} s, thread CPU {t.Sum() / 1e9:F3} s, rss {Environment.WorkingSet >> 20} MiB");
        Console.WriteLine("   " + string.Join("  ", names.Select((name, i) => $"{name} {t[i] / 1e6:F0}")));
    }
}

static void OptimizerSteps(int repetitions)
{
    long[][] lesson = [[128, 784], [128], [64, 128], [64], [10, 64], [10]];
    var layouts = new[] { ("six tensors", lesson), ("one tensor", [[109_386]]), ("first weight", new long[][] { [128, 784] }) };
    foreach (var (layout, shapes) in layouts)
        foreach (var setting in new[] { "sgd", "sgd momentum", "sgd nesterov wd", "adam", "adamw wd" })
            foreach (bool fusedKernel in layout == "six tensors" && setting != "sgd" ? new[] { false, true } : [false])
            {
                using var scope = NewDisposeScope();
                var parameters = shapes.Select(shape => new Parameter(randn(shape))).ToArray();
                foreach (var p in parameters) p.grad = randn_like(p).mul_(1e-3);
                using OptimizerHelper optimizer = setting switch
                {
                    "sgd" => optim.SGD(parameters, 0.01),
                    "sgd momentum" => optim.SGD(parameters, 0.01, 0.9),
                    "sgd nesterov wd" => optim.SGD(parameters, 0.01, 0.9, 0, 5e-4, nesterov: true),
                    "adam" => optim.Adam(parameters, 1e-3),
                    _ => optim.AdamW(parameters, 1e-3, weight_decay: 0.01),
                };
                using var fused = fusedKernel ? new FusedUpdate(optimizer) : null;
                Action step = fused != null ? fused.Step : () => optimizer.step();
                for (int i = 0; i < 200; i++) step();
                double best = double.MaxValue;
                for (int r = 0; r < repetitions; r++)
                {
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    for (int i = 0; i < 938; i++) step();
                    best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                }
                Console.WriteLine($"step {layout,-12} {setting,-16} {(fusedKernel ? "fused kernel" : "TorchSharp"),-12} {best:F3} s/epoch  {best / 938 * 1e6,4:F0} us/step");
            }
}

void Engines(int epochs)
{
    var images = DatasetFiles.Load(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Path.Combine(dir, "train-labels-idx1-ubyte.gz"), 10);
    using var train = new ImageTensors(images);
    string only = Array.IndexOf(args, "--only") is var o and >= 0 ? args[o + 1] : "autograd,manual,fused,fold";
    double Number(string name, double fallback) => Array.IndexOf(args, name) is var i and >= 0 ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    var options = new TrainingOptions(epochs, Number("--lr", 0.01), 64, 1,
        Array.IndexOf(args, "--optimizer") is var k and >= 0 ? SettingNames.Optimizers[args[k + 1]] : OptimizerKind.Sgd,
        Number("--momentum", 0), args.Contains("--nesterov"), Number("--weight-decay", 0));
    var engines = only.Split(',').Select(name => new EngineRun(name, train, options)).ToArray();
    Console.WriteLine("engine          epoch   wall s   cpu s   loss");
    for (int epoch = 1; epoch <= epochs; epoch++)
        foreach (var engine in engines)
        {
            var (wall, cpu, loss) = engine.Epoch();
            Console.WriteLine($"{engine.Name,-15} {epoch,5} {wall,8:F3} {cpu,7:F3}   {loss:F6}");
        }
    foreach (var engine in engines)
    {
        Console.WriteLine($"{engine.Name,-15} median of epochs 2..{epochs}: wall {engine.MedianWall():F3} s, cpu {engine.MedianCpu():F3} s");
        engine.Dispose();
    }
}

/// <summary>One engine's own network, optimizer, shuffle and loader, trained an epoch at a time.</summary>
sealed class EngineRun : IDisposable
{
    const int B = 64;
    readonly ImageTensors train;
    readonly Sequential network = Trainer.NewNetwork(1);
    readonly Generator shuffle = new(1);
    readonly BatchLoader loader;
    readonly ManualStep? manual;
    readonly FusedUpdate? fused;
    readonly bool fold;
    readonly double learningRate;
    readonly nn.Module<Tensor, Tensor, Tensor> criterion = nn.NLLLoss();
    readonly optim.Optimizer optimizer;
    readonly List<double> walls = [], cpus = [];

    public EngineRun(string name, ImageTensors train, TrainingOptions options)
    {
        Name = name;
        this.train = train;
        loader = new BatchLoader(train, B);
        fold = name == "fold";
        if (fold) options = new TrainingOptions(options.Epochs, TrainingOptions.DefaultLearningRate, B, options.Seed);
        optimizer = Optimizers.Create(options, network.parameters());
        learningRate = options.LearningRate;
        if (name is "manual" or "fused" or "fold") manual = new ManualStep(network);
        else if (name != "autograd") throw new ArgumentException($"unknown engine {name}");
        if (name == "fused") fused = new FusedUpdate((OptimizerHelper)optimizer);
    }

    public string Name { get; }
    public double MedianWall() => walls.Skip(1).Order().ElementAt(walls.Count / 2 - (walls.Count % 2 == 0 ? 1 : 0));
    public double MedianCpu() => cpus.Skip(1).Order().ElementAt(cpus.Count / 2 - (cpus.Count % 2 == 0 ? 1 : 0));

    public (double Wall, double Cpu, double Loss) Epoch()
    {
        var parameters = network.parameters().ToArray();
        int batches = (train.Count + B - 1) / B;
        double running = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        using var order = randperm(train.Count, generator: shuffle);
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            int start = b * B;
            var (x, y) = loader.Load(order, start, Math.Min(B, train.Count - start));
            if (fold) running += manual!.SgdStep(x, y, learningRate);
            else if (manual != null)
            {
                running += manual.Backward(x, y);
                if (fused != null) fused.Step();
                else optimizer.step();
            }
            else
            {
                foreach (var p in parameters) p.grad = null;
                var loss = criterion.call(network.call(x), y);
                loss.backward();
                optimizer.step();
                running += loss.item<float>();
            }
        }
        double seconds = wall.Elapsed.TotalSeconds, cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        walls.Add(seconds);
        cpus.Add(cpuSeconds);
        GC.Collect(0);
        return (seconds, cpuSeconds, running / batches);
    }

    public void Dispose()
    {
        fused?.Dispose();
        manual?.Dispose();
        optimizer.Dispose();
        loader.Dispose();
        network.Dispose();
        shuffle.Dispose();
    }
}

static class ThreadCpu
{
    [DllImport("libc")] static extern unsafe int clock_gettime(int clock, long* timespec);
    const int ClockThreadCpuTime = 3;

    public static unsafe long Nanoseconds()
    {
        long* ts = stackalloc long[2];
        clock_gettime(ClockThreadCpuTime, ts);
        return ts[0] * 1_000_000_000 + ts[1];
    }
}
