from viscoder_magic.extract import extract_code


def test_first_fenced_block_is_taken():
    reply = "Here:\n```python\nprint(1)\n```\nand\n```python\nprint(2)\n```"
    assert extract_code(reply) == "print(1)"


def test_unclosed_fence_and_missing_tag_are_tolerated():
    assert extract_code("```python\nimport x\nx.plot()") == "import x\nx.plot()"
    assert extract_code("```\nprint(3)\n```") == "print(3)"


def test_bare_code_and_stop_tokens():
    assert extract_code("print(4)<|im_end|>") == "print(4)"


def test_saves_are_dropped_and_reads_left_to_the_check_which_knows_the_frames():
    code = extract_code(
        "```python\ndf = pd.read_csv('data.csv')\nplt.plot(df.x)\nplt.savefig('out.png')\n```"
    )
    assert code == "df = pd.read_csv('data.csv')\nplt.plot(df.x)"


def test_empty_reply_gives_empty_code():
    assert extract_code("") == ""


def test_a_block_only_the_write_filled_goes_and_a_placeholder_stays_only_where_needed():
    code = extract_code("```python\nif True:\n    plt.savefig('x.png')\nplt.plot(df.x)\n```")
    assert code == "plt.plot(df.x)"
    kept = extract_code("```python\nif save:\n    plt.savefig('x.png')\nelse:\n    plt.show()\n```")
    assert kept == "if save:\n    pass\nelse:\n    plt.show()"
    cut = extract_code("```python\nif True:\n    plt.savefig('x.png')\nplt.plot(df.x,\n")  # does not parse
    assert cut == "if True:\n    pass\nplt.plot(df.x,"
    cut = extract_code("```python\nif True:\n    plt.plot(df.x)\n    plt.savefig('x.png')\nplt.plot(df.x,\n")
    assert cut == "if True:\n    plt.plot(df.x)\nplt.plot(df.x,"  # the block has a statement left: no pass
