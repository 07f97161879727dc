#include "scenario/text.hpp"

#include <gtest/gtest.h>

namespace sellershock {
namespace {

TEST(LabelText, PrintableUtf8IsAccepted) {
  EXPECT_EQ(label_text_problem("CN-Shenzhen"), std::nullopt);
  EXPECT_EQ(label_text_problem("深圳 ünïcödé 🌊"), std::nullopt);
  EXPECT_EQ(label_text_problem(""), std::nullopt);
}

TEST(LabelText, ControlCharactersAreRefused) {
  EXPECT_EQ(label_text_problem(std::string("a\0b", 3)).value_or(""),
            "contains the control character U+0000 at offset 1; names and labels are printable text");
  EXPECT_NE(label_text_problem("a\tb"), std::nullopt);
  EXPECT_NE(label_text_problem("a\nb"), std::nullopt);
  EXPECT_NE(label_text_problem("a\x7f"), std::nullopt);
  EXPECT_NE(label_text_problem("a\xc2\x85"), std::nullopt);  // U+0085, a C1 control
}

TEST(LabelText, InvalidUtf8IsRefused) {
  EXPECT_EQ(label_text_problem("caf\xff").value_or(""), "is not valid UTF-8 (byte 0xff at offset 3)");
  EXPECT_EQ(label_text_problem("caf\xe9").value_or(""), "is not valid UTF-8 (incomplete sequence at offset 3)");
  EXPECT_NE(label_text_problem("\xc3"), std::nullopt);              // truncated
  EXPECT_NE(label_text_problem("\xc0\xaf"), std::nullopt);          // overlong '/'
  EXPECT_NE(label_text_problem("\xed\xa0\x80"), std::nullopt);      // a UTF-16 surrogate
  EXPECT_NE(label_text_problem("\xf4\x90\x80\x80"), std::nullopt);  // above U+10FFFF
  EXPECT_NE(label_text_problem("\xff"), std::nullopt);
}

}  // namespace
}  // namespace sellershock
