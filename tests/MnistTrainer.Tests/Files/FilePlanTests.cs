using MnistTrainer.Files;

namespace MnistTrainer.Tests.Files;

public sealed class FilePlanTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    string Existing(string name)
    {
        File.WriteAllText(folder[name], "kept");
        return folder[name];
    }

    static string Refusal(FilePlan plan) => Assert.Throws<PlanException>(() => plan.Check()).Message;

    [Fact]
    public void Two_outputs_named_differently_but_one_file_are_refused_naming_both_options()
    {
        var dotted = Path.Combine(folder.Path, ".", "m");
        var message = Refusal(new FilePlan().Output("--output", folder["m"]).Output("--plot", dotted));
        Assert.Equal($"--output {folder["m"]} and --plot {dotted} are the same file: give each output its own name.", message);
    }

    [LinuxFact]
    public void A_link_and_a_hard_link_are_the_same_file_as_their_target()
    {
        var model = Existing("m.model");
        File.CreateSymbolicLink(folder["soft"], model);
        SpecialFiles.MakeHardLink(model, folder["hard"]);

        Assert.Contains("are the same file", Refusal(new FilePlan().Output("--output", model).Output("--metrics", folder["soft"])));
        Assert.Contains("are the same file", Refusal(new FilePlan().Output("--output", model).Output("--metrics", folder["hard"])));
    }

    [LinuxFact]
    public void A_new_file_reached_through_a_linked_folder_is_the_same_file()
    {
        Directory.CreateDirectory(folder["real"]);
        Directory.CreateSymbolicLink(folder["linked"], folder["real"]);

        var message = Refusal(new FilePlan().Output("--output", Path.Combine(folder["real"], "m")).Output("--plot", Path.Combine(folder["linked"], "m")));
        Assert.Contains("are the same file", message);
    }

    [Fact]
    public void An_output_that_is_an_input_is_refused()
    {
        var model = Existing("m.model");
        var message = Refusal(new FilePlan().Input("--model", model).Output("--output", model));
        Assert.Equal($"--output {model} is the same file as --model {model}: writing it would destroy what is read; give another name.", message);
    }

    [Fact]
    public void The_checkpoint_may_replace_the_checkpoint_it_resumes_from()
    {
        var checkpoint = Existing("m.model.ckpt");
        new FilePlan().Input("--resume", checkpoint).Output("--output's checkpoint", checkpoint, mayReplace: "--resume").Check();
        Assert.Equal("kept", File.ReadAllText(checkpoint));
    }

    [Fact]
    public void An_output_in_a_missing_folder_is_refused_and_the_folder_is_not_made()
    {
        var path = Path.Combine(folder["new"], "m.model");
        Assert.Equal($"--output {path}: the folder {folder["new"]} does not exist; create it first.", Refusal(new FilePlan().Output("--output", path)));
        Assert.False(Directory.Exists(folder["new"]));
    }

    [Fact]
    public void An_output_that_names_a_folder_is_refused()
    {
        Assert.Contains("is a folder: give a file name", Refusal(new FilePlan().Output("--output", folder.Path)));
        Assert.Contains("is a folder: give a file name", Refusal(new FilePlan().Output("--output", folder["newdir"] + "/")));
    }

    [Fact]
    public void An_empty_path_is_refused() =>
        Assert.Equal("--logdir is empty: give a path.", Refusal(new FilePlan().OutputFolder("--logdir", "")));

    [Fact]
    public void A_data_folder_that_is_a_file_is_refused()
    {
        var file = Existing("train-images-idx3-ubyte.gz");
        Assert.Equal($"--data-dir {file} is a regular file, not a folder: give the folder that holds the files.",
            Refusal(new FilePlan().InputFolder("--data-dir", file)));
    }

    [Fact]
    public void A_name_of_255_bytes_is_accepted_and_one_of_256_refused()
    {
        new FilePlan().Output("--output", folder[new string('a', 255)]).Check();
        Assert.Contains("is 256 bytes long; a file name can have at most 255", Refusal(new FilePlan().Output("--output", folder[new string('a', 256)])));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Standard_output_can_be_one_output_only()
    {
        var plan = new FilePlan().Output("--output", "-").Check();
        Assert.True(plan.WritesStandardOutput);
        Assert.Equal("--output and --plot both write to standard output: give one of them a file.",
            Refusal(new FilePlan().Output("--output", "-").Output("--plot", "/dev/stdout")));
    }

    [LinuxFact]
    public void Outputs_thrown_away_together_into_dev_null_are_allowed() =>
        Assert.False(new FilePlan().Output("--output", "/dev/null").Output("--plot", "/dev/null").Check().WritesStandardOutput);

    [LinuxFact]
    public void A_folder_where_nothing_can_be_made_is_refused_before_any_work() =>
        Assert.Contains("the folder /proc cannot be written", Refusal(new FilePlan().Output("--output", "/proc/m.model")));
}
