from kinerja.planning import berakhlak


def test_berakhlak_has_seven_values_of_three_behaviours():
    assert berakhlak.CODES == (1, 2, 3, 4, 5, 6, 7)
    assert [len(g) for g in berakhlak.GUIDES.values()] == [3] * 7
    assert berakhlak.NAMES[1] == "Berorientasi Pelayanan"
    assert berakhlak.GUIDES[7][2].startswith("Menggerakkan pemanfaatan")
