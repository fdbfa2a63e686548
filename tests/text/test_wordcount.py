from core.text.wordcount import wps_word_count


def test_chinese_characters_and_punctuation_count_one_each():
    assert wps_word_count("加强党的建设。") == 7


def test_latin_words_and_numbers_count_one_each():
    assert wps_word_count("召开党组会24次") == 7
    assert wps_word_count("GB/T 9704") == 4  # GB, /, T, 9704
    assert wps_word_count("完成率98.5%") == 5


def test_whitespace_does_not_count():
    assert wps_word_count("一、 工作\n\n　　情况") == 6
    assert wps_word_count("") == 0
