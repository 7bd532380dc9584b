using System.Net;
using System.Text.Json;
using MnistTrainer.Files;
using MnistTrainer.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MinDataRate = Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace MnistTrainer.Web;

/// <summary>
/// The web server of <c>serve</c>: the drawing page and its JSON API on one model. Every answer is JSON
/// (or the page and its icon); a failure is <c>{"error": "one line"}</c>, never a stack trace. Answers are
/// written by <see cref="JsonPolicy"/>: the same fields and numbers as <c>predict --json</c> (a diverged
/// model's losses are NaN and still shown).
/// </summary>
public static class DrawingServer
{
    public const long MaxBodyBytes = 5 * 1024 * 1024;

    /// <summary>
    /// The longest request target (path and query) and the most header bytes the server takes. The app checks
    /// them itself, so that their 414 and 431 come with a JSON body: Kestrel's own limits, which answer with
    /// an empty body, are set 4 times higher.
    /// </summary>
    public const int MaxTargetLength = 8 * 1024, MaxHeaderBytes = 32 * 1024;

    /// <summary>A body that arrives slower than this, after a grace period, is answered 408 (Kestrel's default rate).</summary>
    public static readonly MinDataRate MinBodyRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));

    public static readonly IReadOnlyList<string> ImageTypes = ["image/png", "image/jpeg", "image/webp", "image/bmp", "image/gif"];

    /// <summary>One address of the server: its path, the method it takes (GET takes HEAD too) and what answers it.</summary>
    sealed record Route(string Path, string Method, RequestDelegate Handle)
    {
        public string[] Methods => Method == HttpMethods.Get ? [HttpMethods.Get, HttpMethods.Head] : [Method];
    }

    /// <summary>
    /// Starts the server on <paramref name="address"/>:<paramref name="port"/> (0: a free port) and returns
    /// it running; its <c>Urls</c> say where. Unexpected failures are reported to <paramref name="internalError"/>.
    /// </summary>
    public static async Task<WebApplication> StartAsync(ServedModel model, IPAddress address, int port,
        Action<Exception> internalError, CancellationToken cancel)
    {
        // The empty builder: no configuration files, environment-variable overrides or console logging,
        // only Kestrel and routing, so that what serve prints and where it listens is all said here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = MinBodyRate;
            kestrel.Limits.MaxRequestLineSize = 4 * MaxTargetLength;
            kestrel.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = 1000;
            kestrel.Listen(address, port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        Route[] routes =
        [
            new("/", HttpMethods.Get, PageFile("index.html", "text/html; charset=utf-8")),
            new("/favicon.svg", HttpMethods.Get, PageFile("favicon.svg", "image/svg+xml")),
            new("/healthz", HttpMethods.Get, context => context.Response.WriteAsync("ok")),
            new("/api/model", HttpMethods.Get, context => ModelFacts(context, model)),
            new("/api/predict", HttpMethods.Post, context => Predict(context, model)),
            new("/api/predict-strokes", HttpMethods.Post, context => PredictStrokes(context, model)),
            new("/api/test-image", HttpMethods.Get, context => TestImage(context, model)),
        ];

        app.Use(async (context, next) =>
        {
            try
            {
                CheckRequestSize(context);
                await next(context);
            }
            catch (Exception e) when (e is ApiException or ImageFileException && !context.Response.HasStarted)
            {
                // A picture that cannot be read is the client's mistake (400), or too large (413).
                await Error(context, e switch { ApiException api => api.Status, ImageTooLargeException => 413, _ => 400 }, e.Message);
            }
            catch (Exception) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client has gone (or Kestrel gave up on it): there is no one to answer.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                internalError(e);
                await Error(context, StatusCodes.Status500InternalServerError, "internal error (details in the console where serve runs)");
            }
        });
        foreach (var route in routes)
            app.MapMethods(route.Path, route.Methods, route.Handle);
        app.MapFallback("{*path}", context => NotHere(context, routes));

        await app.StartAsync(cancel);
        return app;
    }

    /// <summary>414 or 431 for a request larger than the app takes (below Kestrel's own limits, which answer without a body).</summary>
    static void CheckRequestSize(HttpContext context)
    {
        int target = context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0;
        if (target > MaxTargetLength)
            throw new ApiException(StatusCodes.Status414UriTooLong,
                $"the address is {target:N0} characters long; the server takes up to {MaxTargetLength:N0}");
        // Counted as they come on the wire: "Name: value" and the line's end.
        long headers = context.Request.Headers.Sum(h => h.Key.Length + 2 + h.Value.Sum(v => (long)(v?.Length ?? 0)) + 2);
        if (headers > MaxHeaderBytes)
            throw new ApiException(StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"the request's headers are {headers:N0} bytes; the server takes up to {MaxHeaderBytes:N0}");
    }

    /// <summary>405 with <c>Allow</c> for a known path asked with another method; 404 for any other path.</summary>
    static Task NotHere(HttpContext context, Route[] routes)
    {
        var path = context.Request.Path.Value ?? "/";
        var allowed = routes.Where(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)).SelectMany(r => r.Methods).ToArray();
        if (allowed.Length == 0)
            throw new ApiException(StatusCodes.Status404NotFound, $"nothing at {path}");
        context.Response.Headers.Allow = string.Join(", ", allowed);
        throw new ApiException(StatusCodes.Status405MethodNotAllowed,
            $"{path} takes {string.Join(" or ", allowed)}, not {context.Request.Method}");
    }

    /// <summary>A page file built into the program (no files beside it, no build step), read once when the server starts.</summary>
    static RequestDelegate PageFile(string name, string contentType)
    {
        using var stream = typeof(DrawingServer).Assembly.GetManifestResourceStream($"MnistTrainer.Web.{name}")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return context =>
        {
            context.Response.ContentType = contentType;
            return context.Response.Body.WriteAsync(bytes).AsTask();
        };
    }

    static Task ModelFacts(HttpContext context, ServedModel model) => context.Response.WriteAsJsonAsync(new
    {
        // The file's name only: the server's folders are no business of its visitors.
        Model = Path.GetFileName(model.Path),
        Dataset = model.Dataset.Name,
        DatasetName = model.Dataset.DisplayName,
        model.Metadata.ClassNames,
        model.Metadata.Architecture,
        model.Metadata.LayerSizes,
        model.Metadata.Training,
        TestImages = model.TestImageCount,
    }, JsonPolicy.Options);

    static async Task Predict(HttpContext context, ServedModel model)
    {
        if (MediaType(context) is not { } type || !ImageTypes.Contains(type))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"That file is not an image we can read: PNG, JPEG, GIF, BMP or WebP (it came as {MediaType(context) ?? "no type"}; "
                + $"scripts: send the image as the body with Content-Type {string.Join(", ", ImageTypes)})");
        var body = await ReadBody(context);
        await context.Response.WriteAsJsonAsync(await model.ClassifyAsync(body, context.RequestAborted), JsonPolicy.Options);
    }

    static async Task PredictStrokes(HttpContext context, ServedModel model)
    {
        if (MediaType(context) != "application/json")
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"send the drawing as JSON, {StrokesBody.Shape}, with Content-Type application/json (got {MediaType(context) ?? "none"})");
        var body = await ReadBody(context);
        StrokesBody? parsed;
        try { parsed = JsonSerializer.Deserialize<StrokesBody>(body, JsonPolicy.Options); }
        // JsonPolicy's number converter reads a string such as "a" with double.Parse: a FormatException.
        catch (Exception e) when (e is JsonException or FormatException or OverflowException)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"the body is not a drawing's JSON: {StrokesBody.Shape}");
        }
        var drawing = (parsed ?? new StrokesBody(null, null)).ToPenStrokes();
        await context.Response.WriteAsJsonAsync(await model.ClassifyAsync(drawing, context.RequestAborted), JsonPolicy.Options);
    }

    static string? MediaType(HttpContext context) =>
        MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;

    /// <summary>The whole body, or an <see cref="ApiException"/>: 413 when too large, 408 when it stalls, 400 when malformed.</summary>
    static async Task<byte[]> ReadBody(HttpContext context)
    {
        var tooLarge = new ApiException(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes / 1024 / 1024} MB");
        // A declared length over the limit is refused before reading (a client that sent
        // "Expect: 100-continue" then sends nothing); Kestrel stops a longer chunked body at the limit.
        if (context.Request.ContentLength > MaxBodyBytes) throw tooLarge;
        var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => tooLarge,
                StatusCodes.Status408RequestTimeout => new ApiException(e.StatusCode,
                    $"the body stopped arriving (slower than {MinBodyRate.BytesPerSecond:N0} bytes a second after {MinBodyRate.GracePeriod.TotalSeconds:N0} s)"),
                _ => new ApiException(StatusCodes.Status400BadRequest, $"the body is malformed ({e.Message.TrimEnd('.')})"),
            };
        }
        return body.ToArray();
    }

    /// <summary>Test image <c>?index=N</c>, or a random one without it.</summary>
    static async Task TestImage(HttpContext context, ServedModel model)
    {
        if (model.TestImageCount is not int count)
            throw new ApiException(StatusCodes.Status404NotFound,
                $"the {model.Dataset.DisplayName} test files were not found when serve started (give their folder with --data-dir)");
        if (count == 0)
            throw new ApiException(StatusCodes.Status404NotFound, $"the {model.Dataset.DisplayName} test files hold no images");
        string? given = context.Request.Query["index"];
        int index = Random.Shared.Next(count);
        if (given != null && (!int.TryParse(given, out index) || index < 0 || index >= count))
            throw new ApiException(StatusCodes.Status400BadRequest,
                $"index {given} is out of range: the {model.Dataset.DisplayName} test set has {count:N0} images (0 to {count - 1:N0})");
        await context.Response.WriteAsJsonAsync(await model.ClassifyTestImageAsync(index, context.RequestAborted), JsonPolicy.Options);
    }

    static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { Error = message }, JsonPolicy.Options);
    }
}

/// <summary>A request the server refuses: the HTTP status and the one line of its JSON error body.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
