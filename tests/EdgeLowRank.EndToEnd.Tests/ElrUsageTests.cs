namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// A wrong or missing word on elr's command line says which word and what was expected, as elr-run does: a trial user's
/// `elr frob` got "Required command was not provided." first, and `elr inspect` a message that did not name MODEL.
/// </summary>
public class ElrUsageTests
{
    [Fact]
    public void An_unknown_command_is_named_and_the_commands_are_listed()
    {
        ToolResult result = Tool.Elr("frob");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("elr: 'frob' is not a command of 'elr'; the commands are data, train, eval, compress, quantize, inspect,", result.Error);
        Assert.Contains("elr: see 'elr --help'.", result.Error);
        Assert.DoesNotContain("Required command was not provided", result.Error);
        Assert.DoesNotContain("Unrecognized command", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void A_misspelt_option_or_command_is_named_with_the_nearest_and_its_value_is_no_error_of_its_own()
    {
        // A student's trial typed --finetune-epoch and got "Unrecognized command or argument" alone, and the 3 after it
        // was reported as a second unknown word.
        ToolResult option = Tool.Elr("compress", "m.elr", "--method", "svd", "--finetune-epoch", "3", "--lamda", "1e-4", "-o", "out.elr");
        ToolResult command = Tool.Elr("inspct", "m.elr");

        Assert.Equal((1, 1), (option.ExitCode, command.ExitCode));
        Assert.Equal("elr: '--finetune-epoch' is not an option of 'elr compress'; did you mean --finetune-epochs?\n"
            + "elr: '--lamda' is not an option of 'elr compress'; did you mean --lambda?\nelr: see 'elr compress --help'.\n", option.Error);
        Assert.Contains("elr: 'inspct' is not a command of 'elr' (did you mean inspect?); the commands are", command.Error);
        Assert.DoesNotContain("m.elr", command.Error);
    }

    [Fact]
    public void Layer_rank_pairs_split_by_a_space_are_told_to_join_with_a_comma()
    {
        // A trial typed --ranks fc1=10 fc2=8 and got "Unrecognized command or argument 'fc2=8'" alone.
        ToolResult compress = Tool.Elr("compress", "m.elr", "--ranks", "fc1=10", "fc2=8", "-o", "out.elr");
        ToolResult train = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--ranks", "fc1=10,", "fc2=8,fc3=4", "-o", "out.elr");

        Assert.Equal((1, 1), (compress.ExitCode, train.ExitCode));
        Assert.Contains("elr: 'fc2=8' stands apart from its list: layer=rank pairs are one word, joined by commas without spaces (--ranks fc1=10,fc2=8).\n", compress.Error);
        Assert.Contains("elr: 'fc2=8,fc3=4' stands apart from its list", train.Error);
        Assert.DoesNotContain("Unrecognized command or argument", compress.Error);
    }

    [Fact]
    public void A_misspelt_option_taken_for_the_model_gets_the_nearest_too_and_a_far_one_none()
    {
        // In the model's place the parser reads an unknown option as the model; the correction must not depend on where it stands.
        ToolResult first = Tool.Elr("compress", "--finetune-epoch", "3", "m.elr", "-o", "out.elr");
        ToolResult far = Tool.Elr("compress", "m.elr", "--fo", "3", "-o", "out.elr");

        Assert.Equal((1, 1), (first.ExitCode, far.ExitCode));
        Assert.Contains("elr: '--finetune-epoch' is not an option of 'elr compress'; did you mean --finetune-epochs?\n", first.Error);
        // Two edits from --lr and -o, with nothing of them left: no guess is better than a wrong one.
        Assert.Equal("elr: '--fo' is not an option of 'elr compress'.\nelr: see 'elr compress --help'.\n", far.Error);
    }

    [Fact]
    public void No_command_and_an_unknown_subcommand_of_a_group_list_the_commands_there()
    {
        ToolResult none = Tool.Elr();
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("elr: no command given; the commands are data, train,", none.Error);

        ToolResult data = Tool.Elr("data", "frob");
        Assert.Equal(1, data.ExitCode);
        Assert.Contains("elr: 'frob' is not a command of 'elr data'; the commands are list, fetch, verify, export.", data.Error);
        Assert.Contains("elr: see 'elr data --help'.", data.Error);
    }

    [Fact]
    public void A_missing_argument_is_named_with_the_usage()
    {
        ToolResult result = Tool.Elr("inspect");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("elr: 'elr inspect' needs MODEL (the .elr file): elr inspect MODEL [options].", result.Error);
        Assert.Contains("elr: see 'elr inspect --help'.", result.Error);
        Assert.DoesNotContain("Required argument missing", result.Error);
    }

    [Fact]
    public void An_unknown_option_is_named_as_one_not_taken_for_the_model_or_push_the_model_out()
    {
        // The parser took --frob as MODEL: eval looked for a file '--frob', inspect called the real model unknown.
        ToolResult eval = Tool.Elr("eval", "--frob");
        ToolResult inspect = Tool.Elr("inspect", "--frob", Tool.Fixture("tiny-odd.elr"));

        Assert.Equal(1, eval.ExitCode);
        Assert.Contains("elr: '--frob' is not an option of 'elr eval'.", eval.Error);
        Assert.DoesNotContain("does not exist", eval.Error);
        Assert.Equal(1, inspect.ExitCode);
        Assert.Contains("elr: '--frob' is not an option of 'elr inspect'.", inspect.Error);
        Assert.DoesNotContain("tiny-odd.elr", inspect.Error);
    }

    [Fact]
    public void The_version_and_the_help_still_succeed()
    {
        Assert.Equal(0, Tool.Elr("--version").ExitCode);
        ToolResult help = Tool.Elr("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Equal("", help.Error);
        // A command's help without its argument is help, not a missing MODEL.
        ToolResult inspectHelp = Tool.Elr("inspect", "--help");
        Assert.Equal(0, inspectHelp.ExitCode);
        Assert.Equal("", inspectHelp.Error);
        Assert.Contains("<model>", inspectHelp.Output);
    }
}
