using System.Text;

namespace MnistTrainer.Files;

/// <summary>
/// The files one run of a command reads and writes, each named by what asked for it (an option such as
/// <c>--plot</c>), checked together before the command does any work: every output can be made where it is asked
/// for, and no two outputs, nor an output and an input, are the same file (by device and inode for files that
/// exist, so <c>m</c>, <c>./m</c> and a link to <c>m</c> are one file; devices such as /dev/null may take several).
/// A bad plan is a <see cref="PlanException"/>
/// naming the options concerned, and nothing on disk has changed. Inputs are only compared here: reading them
/// says what is wrong with them.
/// </summary>
public sealed class FilePlan
{
    const int MaxNameBytes = 255; // NAME_MAX of Linux file systems

    readonly List<Entry> inputs = [];
    readonly List<Entry> outputs = [];

    /// <param name="MayReplace">The input this output is meant to replace (a checkpoint saved over the one resumed from).</param>
    sealed record Entry(string Name, string Path, bool IsFolder, string? MayReplace = null);

    /// <summary>A file to read; null when the option was not given.</summary>
    public FilePlan Input(string name, string? path) => Add(inputs, name, path, isFolder: false);

    /// <summary>Files to read that may or may not exist (where a dataset may be found or downloaded to).</summary>
    public FilePlan Inputs(string name, IEnumerable<string> paths)
    {
        foreach (var path in paths) Input(name, path);
        return this;
    }

    /// <summary>A folder to read from (a data folder): it must be a folder when it exists.</summary>
    public FilePlan InputFolder(string name, string? path) => Add(inputs, name, path, isFolder: true);

    /// <summary>A file to write; <paramref name="mayReplace"/> names the one input it is allowed to be.</summary>
    public FilePlan Output(string name, string? path, string? mayReplace = null) => Add(outputs, name, path, isFolder: false, mayReplace);

    /// <summary>A folder to write files into (TensorBoard's): made if missing, in a folder that exists.</summary>
    public FilePlan OutputFolder(string name, string? path) => Add(outputs, name, path, isFolder: true);

    /// <summary>Whether an output is this process's standard output, which must then carry nothing else.</summary>
    public bool WritesStandardOutput => StandardOutputs.Any();

    IEnumerable<Entry> StandardOutputs => outputs.Where(o => !o.IsFolder && OutputFile.IsStandardOutput(o.Path));

    FilePlan Add(List<Entry> entries, string name, string? path, bool isFolder, string? mayReplace = null)
    {
        if (path != null) entries.Add(new Entry(name, path, isFolder, mayReplace));
        return this;
    }

    /// <summary>Checks the plan; returns it so that a command can write <c>var plan = new FilePlan()…Check();</c>.</summary>
    /// <exception cref="PlanException">The first problem found, naming the option(s).</exception>
    public FilePlan Check()
    {
        foreach (var entry in inputs.Concat(outputs))
            if (entry.Path.Length == 0) throw new PlanException($"{entry.Name} is empty: give a path.");
        foreach (var input in inputs.Where(i => i.IsFolder))
            if (FileKinds.Of(input.Path) is not (FileKind.Directory or FileKind.Missing) and var kind)
                throw new PlanException($"{input.Name} {input.Path} is {FileKinds.Describe(kind)}, not a folder: give the folder that holds the files.");
        foreach (var output in outputs) CheckCanWrite(output);

        var standardOutput = StandardOutputs.ToList();
        if (standardOutput.Count > 1)
            throw new PlanException($"{standardOutput[0].Name} and {standardOutput[1].Name} both write to standard output: give one of them a file.");
        var writtenFiles = outputs.Except(standardOutput).Where(o => !o.IsFolder).Select(o => (Entry: o, Id: IdentityOf(o.Path))).ToList();
        var readFiles = inputs.Where(i => !i.IsFolder).Select(i => (Entry: i, Id: IdentityOf(i.Path))).ToList();
        for (int i = 0; i < writtenFiles.Count; i++)
        {
            var (output, id) = writtenFiles[i];
            foreach (var (other, otherId) in writtenFiles.Take(i))
                if (id == otherId && FileKinds.Of(output.Path) != FileKind.CharacterDevice)
                    throw new PlanException($"{other.Name} {other.Path} and {output.Name} {output.Path} are the same file: give each output its own name.");
            foreach (var (input, inputId) in readFiles)
                if (inputId == id && input.Name != output.MayReplace)
                    throw new PlanException($"{output.Name} {output.Path} is the same file as {input.Name} {input.Path}: writing it would destroy what is read; give another name.");
        }
        return this;
    }

    static void CheckCanWrite(Entry output)
    {
        if (!output.IsFolder && OutputFile.IsStandardOutput(output.Path)) return;
        var full = Path.GetFullPath(output.Path);
        var kind = FileKinds.Of(full);
        bool namesFolder = Path.EndsInDirectorySeparator(output.Path) || kind == FileKind.Directory;
        if (output.IsFolder)
        {
            if (kind is not (FileKind.Directory or FileKind.Missing))
                throw new PlanException($"{output.Name} {output.Path} is {FileKinds.Describe(kind)}, not a folder.");
            if (kind == FileKind.Directory) { CheckFolderWritable(output, full); return; }
        }
        else
        {
            if (namesFolder)
                throw new PlanException($"{output.Name} {output.Path} is a folder: give a file name{(kind == FileKind.Directory ? $", e.g. {Path.Combine(output.Path, "NAME")}" : "")}.");
            if (kind is FileKind.Socket or FileKind.BlockDevice)
                throw new PlanException($"{output.Name} {output.Path} is {FileKinds.Describe(kind)}: give a file, or a stream such as /dev/null or - (standard output).");
            if (OutputFile.IsStream(kind)) return;
            if (kind == FileKind.RegularFile) full = OutputFile.Resolve(full).Target; // a link's target is what gets replaced
        }
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new PlanException($"{output.Name}: the name {name[..20]}… is {Encoding.UTF8.GetByteCount(name)} bytes long; a file name can have at most {MaxNameBytes}.");
        var folder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full))!;
        if (FileKinds.Of(folder) is not FileKind.Directory and var folderKind)
            throw new PlanException(folderKind == FileKind.Missing
                ? $"{output.Name} {output.Path}: the folder {folder} does not exist; create it first."
                : $"{output.Name} {output.Path}: {folder} is {FileKinds.Describe(folderKind)}, not a folder.");
        CheckFolderWritable(output, folder);
    }

    /// <summary>
    /// Whether a file can be made in <paramref name="folder"/>, by making one: permission bits do not tell (root may
    /// write anywhere but not into /proc). The file is removed when closed; nothing else is touched.
    /// </summary>
    static void CheckFolderWritable(Entry output, string folder)
    {
        try
        {
            using var probe = new FileStream(FileReplacement.TempNameFor(Path.Combine(folder, "probe")), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            const int ReadOnlyFileSystem = 30; // EROFS: on Unix, .NET keeps the errno as an IOException's HResult
            var why = e.HResult == ReadOnlyFileSystem ? "read-only file system" : FileFailure.WhyNotWritten(e);
            throw new PlanException($"{output.Name} {output.Path}: the folder {folder} cannot be written ({why}).");
        }
    }

    /// <summary>Device and inode where the file exists; else its folder's (so a linked folder is the same folder) and its name.</summary>
    static string IdentityOf(string path)
    {
        var full = Path.GetFullPath(path);
        if (FileKinds.IdentityOf(full) is { } id) return $"{id.Device}:{id.Inode}";
        var folder = Path.GetDirectoryName(full)!;
        return FileKinds.IdentityOf(folder) is { } folderId ? $"{folderId.Device}:{folderId.Inode}/{Path.GetFileName(full)}" : full;
    }
}

/// <summary>A run whose files cannot work together, refused before it starts (exit code 2): the message names the options.</summary>
public sealed class PlanException(string message) : Exception(message);
